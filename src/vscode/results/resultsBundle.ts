// The results code (archive, summary, renderer, retry, export), bundled on its own as
// dist/results.js and loaded the first time results are needed: activation never parses it.
export * from '../../domain/results';
// Its own copy of the formatting code, told the locale when loaded (see resultsModule.ts).
export { setFormatLocale } from '../../common/format';
export { useBundle } from '../../common/l10n';
