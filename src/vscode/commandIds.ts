/**
 * Every command the extension registers, in one typed table. package.json contributes exactly
 * these (a test checks both directions).
 */
export const CommandIds = {
  submitFile: 'claudeBatches.submitFile',
  cancel: 'claudeBatches.cancel',
  delete: 'claudeBatches.delete',
  refresh: 'claudeBatches.refresh',
  loadMore: 'claudeBatches.loadMore',
  openResults: 'claudeBatches.openResults',
  saveResults: 'claudeBatches.saveResults',
  openResultsSection: 'claudeBatches.openResultsSection',
  retryFailed: 'claudeBatches.retryFailed',
  copyId: 'claudeBatches.copyId',
  setApiKey: 'claudeBatches.setApiKey',
  clearApiKey: 'claudeBatches.clearApiKey',
  showLog: 'claudeBatches.showLog',
  manageStorage: 'claudeBatches.manageStorage',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
