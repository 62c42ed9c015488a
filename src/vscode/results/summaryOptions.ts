import type { SectionId, SummaryOptions } from '../../domain/results';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { Settings } from '../core/settings';

/**
 * How a results document summarises a batch: its source file when known (a missing one, or one
 * edited since it was submitted, is said so in the document), today's prices, and as many entries as the settings allow per section, or
 * for one section opened on its own. A download summarises for the whole document, and keeps
 * beside the copy where the entries a section on its own shows are.
 */
export function documentSummaryOptions(registry: SubmissionRegistry, batchId: string, section?: SectionId): SummaryOptions {
  const record = registry.get(batchId);
  return {
    source: record?.sourcePath,
    expectedSha256: record?.sourcePath ? record.contentHash : undefined,
    prices: Settings.prices(),
    section,
    maxEntries: section ? Settings.resultsSectionEntries() : Settings.resultsEntriesPerSection(),
    // The index kept beside the copy serves both: the whole document, and each section on its own.
    sectionEntries: Settings.resultsSectionEntries(),
    documentEntries: Settings.resultsEntriesPerSection(),
  };
}
