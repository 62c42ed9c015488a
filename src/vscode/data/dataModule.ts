import { lazyModule } from '../../api/lazyModule';
import { formatLocale } from '../../common/format';
import { currentBundle } from '../../common/l10n';

export type DataModule = typeof import('./dataBundle');

/** The data code, loaded on first use (see esbuild.mjs: `./dataBundle` is a sibling bundle). */
export const dataModule: () => DataModule = lazyModule(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('./dataBundle') as DataModule;
  // dist/data.js holds its own copy of src/common/format.ts: it formats in the locale the
  // extension set in its own copy at activation.
  loaded.setFormatLocale(formatLocale());
  // And its own copy of @vscode/l10n: its words are translated with the extension's bundle.
  loaded.useBundle(currentBundle());
  return loaded;
});
