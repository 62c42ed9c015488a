// Batch JSONL validation: one request per line, checked as the Message Batches API would.
export type { AcceptedLine, BatchValidation, Diagnostic, ModelUsageEstimate, RelatedPosition, Severity, StreamValidationOptions, ValidationOptions } from './types';
export { RuleCode } from './codes';
export { validateBatchStream, validateBatchText } from './validateBatch';
export { BatchValidator, DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUESTS } from './batchValidator';
export { CUSTOM_ID_PATTERN } from './requestRules';
export { KNOWN_PARAMS, REJECTED_PARAMS } from './paramsRules';
export { fixDuplicateCustomId, fixInvalidCustomId, fixMissingCustomId, uniqueCustomId } from './quickFixes';
export { findSyntaxError, locate, type JsonPath, type Span } from './jsonLocator';
export { batchLineAdvice, splitLines, type InvalidUtf8, type RawLine, type SplitOptions } from './lineSplitter';
export { classifyBatchText, firstLines, CLASSIFY_BYTES, type BatchFileClassification, type BatchFileKind } from './batchFileKind';
export { freeFileName, starterBatchText, STARTER_MODEL } from './starter';
export { decideBatchFile, globMatches, type BatchFileDecision, type BatchFileFacts } from './batchFileRule';
