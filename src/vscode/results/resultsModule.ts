export type ResultsModule = typeof import('../../domain/results');

let loaded: ResultsModule | undefined;

/** The results code, loaded on first use (see esbuild.mjs: `./resultsBundle` is a sibling bundle). */
export function resultsModule(): ResultsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./resultsBundle') as ResultsModule;
  return loaded;
}
