import { lazyModule } from '../../api/lazyModule';
import { formatLocale } from '../../common/format';
import { currentBundle } from '../../common/l10n';

export type ResultsModule = typeof import('./resultsBundle');

/** The results code, loaded on first use (see esbuild.mjs: `./resultsBundle` is a sibling bundle). */
export const resultsModule: () => ResultsModule = lazyModule(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('./resultsBundle') as ResultsModule;
  // dist/results.js holds its own copy of src/common/format.ts: it formats in the locale the
  // extension set in its own copy at activation.
  loaded.setFormatLocale(formatLocale());
  // And its own copy of @vscode/l10n: its words are translated with the extension's bundle.
  loaded.useBundle(currentBundle());
  return loaded;
});
