/**
 * The stable diagnostic codes, one per rule. Quick fixes and tests key on these, so a code never
 * changes meaning; new rules get new codes.
 */
export const RuleCode = {
  // The file as a whole.
  byteOrderMark: 'byte-order-mark',
  crlfLineEndings: 'crlf-line-endings',
  blankLine: 'blank-line',
  noRequests: 'no-requests',
  tooManyRequests: 'too-many-requests',
  nearRequestLimit: 'near-request-limit',
  tooLarge: 'batch-too-large',
  nearSizeLimit: 'near-size-limit',
  // One line: problems the API rejects the whole batch for.
  invalidJson: 'invalid-json',
  notAnObject: 'not-an-object',
  unknownKey: 'unknown-key',
  missingCustomId: 'missing-custom-id',
  customIdNotString: 'custom-id-not-string',
  invalidCustomId: 'invalid-custom-id',
  duplicateCustomId: 'duplicate-custom-id',
  missingParams: 'missing-params',
  paramsNotObject: 'params-not-object',
  // Inside params: that request comes back errored.
  missingModel: 'missing-model',
  missingMaxTokens: 'missing-max-tokens',
  missingMessages: 'missing-messages',
  invalidModel: 'invalid-model',
  invalidMaxTokens: 'invalid-max-tokens',
  maxTokensZero: 'max-tokens-zero',
  invalidMessages: 'invalid-messages',
  emptyMessages: 'empty-messages',
  invalidMessage: 'invalid-message',
  invalidRole: 'invalid-role',
  firstMessageNotUser: 'first-message-not-user',
  invalidContent: 'invalid-content',
  emptyContent: 'empty-content',
  prefillTrailingWhitespace: 'prefill-trailing-whitespace',
  unknownBlockType: 'unknown-block-type',
  invalidBlock: 'invalid-block',
  unknownToolUseId: 'unknown-tool-use-id',
  missingToolResult: 'missing-tool-result',
  invalidSystem: 'invalid-system',
  invalidTools: 'invalid-tools',
  duplicateToolName: 'duplicate-tool-name',
  invalidToolChoice: 'invalid-tool-choice',
  invalidThinking: 'invalid-thinking',
  thinkingBudgetTooLarge: 'thinking-budget-too-large',
  tooManyCacheBreakpoints: 'too-many-cache-breakpoints',
  invalidParam: 'invalid-param',
  streamNotAllowed: 'stream-not-allowed',
  unsupportedParam: 'unsupported-param',
  unknownParam: 'unknown-param',
  headerParam: 'header-param',
} as const;

export type RuleCode = (typeof RuleCode)[keyof typeof RuleCode];
