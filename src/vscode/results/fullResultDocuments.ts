// The text of a result opened in full (`claude-batches:/result/…`): the whole result as Markdown,
// or its raw JSON, read alone from the local copy (resultsService.fullResult), never cut.
import * as l10n from '@vscode/l10n';
import { markdownText } from '../../domain/markdown';
import type { FullResultTarget } from '../../domain/results';
import { resultsModule } from './resultsModule';
import type { ResultsService } from './resultsService';

/** The palette title of the command that shows the raw JSON (translated when used, not at load). */
const toggleViewTitle = (): string => l10n.t('Claude Batches: Toggle Raw JSON of the Result');

export async function fullResultText(results: ResultsService, target: FullResultTarget): Promise<string> {
  const label = results.labelOf(target.batchId);
  const found = await results.fullResult(target);
  if (!found) {
    const missing = l10n.t('No result with custom_id {0} in the local copy of the results of "{1}". Open the results from the Batches view first.', JSON.stringify(target.customId), label);
    return target.view === 'json' ? `${JSON.stringify({ error: missing }, null, 2)}\n` : `${markdownText(missing)}\n`;
  }
  const { renderResultJson, renderResultMarkdown } = resultsModule();
  if (target.view === 'json') return renderResultJson(found.value);
  return renderResultMarkdown(found.value.custom_id, found.value.result, { batchId: target.batchId, label, rawCommand: toggleViewTitle() });
}
