import * as vscode from 'vscode';
import type { SectionId } from '../../domain/results';
import { resultsModule } from './resultsModule';

/** The URI scheme of results documents (read-only, virtual). */
export const RESULTS_SCHEME = 'claude-batches';

export interface ResultsTarget {
  batchId: string;
  /** Shown in the editor tab. */
  label: string;
  /** One section on its own (e.g. `errored:api_error`), with more entries. */
  section?: SectionId;
}

/** `claude-batches:/results/<batchId>/<label>.results?section=errored` — built and parsed here only. */
export function resultsUri(target: ResultsTarget): vscode.Uri {
  const name = `${target.label.replace(/[/\\?#]/g, '_')}${target.section ? ` (${target.section})` : ''}.results`;
  return vscode.Uri.from({
    scheme: RESULTS_SCHEME,
    path: `/results/${encodeURIComponent(target.batchId)}/${name}`,
    query: target.section ? new URLSearchParams({ section: target.section }).toString() : '',
  });
}

export function parseResultsUri(uri: vscode.Uri): ResultsTarget | undefined {
  if (uri.scheme !== RESULTS_SCHEME) return undefined;
  const match = /^\/results\/([^/]+)\/(.+)\.results$/.exec(uri.path);
  if (!match) return undefined;
  const section = new URLSearchParams(uri.query).get('section') ?? undefined;
  if (section !== undefined && !resultsModule().parseSectionId(section)) return undefined;
  const label = match[2].replace(/ \([^)]*\)$/, '');
  return { batchId: decodeURIComponent(match[1]), label, section: section as SectionId | undefined };
}
