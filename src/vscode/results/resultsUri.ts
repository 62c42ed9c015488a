import * as vscode from 'vscode';
import type { FullResultTarget, ResultsTarget } from '../../domain/results';
import { resultsModule } from './resultsModule';
import { RESULTS_SCHEME } from './resultsScheme';

export type { FullResultTarget, ResultsTarget };

export { RESULTS_SCHEME };

/** `claude-batches:/results/<batchId>/<label>.results?section=errored` (see domain/results/resultsLocation.ts). */
export function resultsUri(target: ResultsTarget): vscode.Uri {
  const { path, query } = resultsModule().resultsLocation(target);
  return vscode.Uri.from({ scheme: RESULTS_SCHEME, path, query });
}

/** What a results URI names, or undefined when it is not one. */
export function parseResultsUri(uri: vscode.Uri): ResultsTarget | undefined {
  if (uri.scheme !== RESULTS_SCHEME) return undefined;
  return resultsModule().parseResultsLocation(uri.path, uri.query);
}

/** `claude-batches:/result/<batchId>/<custom_id>.md?id=…`: one result in full (`.json`: its raw JSON). */
export function fullResultUri(target: FullResultTarget): vscode.Uri {
  const { path, query } = resultsModule().fullResultLocation(target);
  return vscode.Uri.from({ scheme: RESULTS_SCHEME, path, query });
}

/** What a full-view URI names, or undefined when it is not one. */
export function parseFullResultUri(uri: vscode.Uri): FullResultTarget | undefined {
  if (uri.scheme !== RESULTS_SCHEME) return undefined;
  return resultsModule().parseFullResultLocation(uri.path, uri.query);
}
