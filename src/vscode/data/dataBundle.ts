// Building batches from data and joining their results back, bundled on its own as dist/data.js
// (with csv-parse) and loaded the first time a data command runs or a template is opened:
// activation never parses it.
export { createBatchFromData, saveResultsAsCsv } from './dataCommands';
export { templateCodeLenses, templateCompletions, templateDiagnostics } from './templateSupport';
// Its own copy of the formatting code, told the locale when loaded (see dataModule.ts).
export { setFormatLocale } from '../../common/format';
export { useBundle } from '../../common/l10n';
