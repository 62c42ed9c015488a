import * as vscode from 'vscode';
import type { ResultsTarget } from '../../domain/results';
import { resultsModule } from './resultsModule';
import { RESULTS_SCHEME } from './resultsScheme';

export type { ResultsTarget };

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
