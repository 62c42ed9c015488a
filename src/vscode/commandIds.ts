/**
 * Every command the extension registers, in one typed table. package.json contributes exactly
 * these (a test checks both directions).
 */
export const CommandIds = {
  refresh: 'claudeBatches.refresh',
  setApiKey: 'claudeBatches.setApiKey',
  clearApiKey: 'claudeBatches.clearApiKey',
  showLog: 'claudeBatches.showLog',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
