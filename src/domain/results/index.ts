// Batch results on this machine: the local archive that outlives the API's copy, the one-pass
// summary, the results document, the retry batch and the exports. Imports no `vscode`.
export { ResultsArchive, ArchiveMissingError, type ArchiveDownload, type ArchiveIo, type ArchiveMeta, type ArchiveStatus } from './resultsArchive';
export { removeStaleFiles, scanArchive, type ArchiveFile, type ArchiveFileKind, type BatchFiles } from './archiveFiles';
export { streamResultsToFile, type DownloadProgress, type IncompleteReason, type ResultsSource, type StreamedResults, type StreamOptions } from './resultsStream';
export { readResults, resultLineHandler, scanResults, type ResultHandler, type ResultLocation, type ResultsReader, type ResultsReadStats } from './resultsReader';
export {
  errorMessageOf,
  errorRequestIdOf,
  errorTypeOf,
  inSection,
  isRetryableErrorType,
  outcomeOf,
  OUTCOMES,
  parseSectionId,
  type Outcome,
  type SectionId,
} from './outcomes';
export { readLines, readRanges, type LineHandler, type LineRange } from './lineReader';
export { indexSource, promptStart, SourceFileMissingError, SourceIndex, type SourceLine } from './sourceIndex';
export {
  costOf,
  ResultsSummarizer,
  SmallestN,
  summarizeAndIndex,
  summarizeResults,
  type EntryList,
  type ErrorGroup,
  type ModelUsage,
  type ResultEntry,
  type ResultsSummary,
  type SourceSummary,
  type SummaryOptions,
} from './resultsSummary';
export { fullResultLocation, parseFullResultLocation, parseResultsLocation, resultsLocation, type FullResultTarget, type ResultsLocation, type ResultsTarget } from './resultsLocation';
export { fenced, renderResultJson, renderResultMarkdown, type ResultMarkdownOptions } from './resultMarkdown';
export { renderResultsDocument, type ArchiveInfo, type DocumentEntry, type DocumentSection, type FoldingRange, type RenderOptions, type ResultsDocument } from './resultsDocument';
export { LineBudget, renderBlock, renderContent } from './contentRendering';
export { buildRetryBatch, type FixNeeded, type RetryBuild, type RetryOptions } from './retryBuilder';
export { exportResults, mergeNote, mergeResults, type ExportOptions, type ExportSummary, type MergeOptions, type MergePart, type MergeSummary } from './resultsExport';
export { openForWrite, SaveFailedError, type OpenForWrite, type WritableFile } from './writableFile';
export { SummaryCache, type SummarySource } from './summaryCache';
export { ANSWER_CHARS, answerStart, briefOf, customIdOfLine, MAX_BRIEFS, readAnswerBriefs, type AnswerBrief, type AnswerBriefs } from './answerBriefs';
export { isUnchangedSince, textSha256 } from './sourceEdits';
export {
  alignIds,
  changesBetween,
  compareEntry,
  compareIds,
  compareResults,
  COMPARE_ANSWER_CHARS,
  COMPARE_ANSWER_LINES,
  COMPARE_MAX_IDS,
  notInBatch,
  renderAligned,
  type CompareOptions,
  type CompareSide,
  type ComparedEntry,
  type Comparison,
  type ComparisonChanges,
  type SideTotals,
} from './resultsComparison';
export {
  aggregateUsage,
  batchUsageOf,
  countBatchUsage,
  loadBatchUsage,
  parseBatchUsage,
  renderUsageReport,
  usageDay,
  USAGE_VERSION,
  writeBatchUsage,
  type BatchUsage,
  type UsageReport,
  type UsageReportOptions,
  type UsageTotalsRow,
} from './usageLedger';
export { entryAt, findEntry, type EntryIndex, type EntrySection, type IndexedEntry } from './entryIndex';
export {
  identityOf,
  INDEX_VERSION,
  IndexProblem,
  loadEntryIndex,
  loadResultsIndex,
  readResultAt,
  summarizeCopy,
  writeResultsIndex,
  type CopyIdentity,
  type IndexedOptions,
  type IndexedSummary,
  type IndexFiles,
} from './resultsIndex';
export { resultsOutline, type OutlineSymbol } from './resultsOutline';
