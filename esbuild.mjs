// Bundles the extension into CommonJS files with `vscode` external.
//
// Three entry points ship: `extension.js` is what VS Code loads at activation; `sdk.js` holds
// @anthropic-ai/sdk and is required the first time an API call is made (src/api/client.ts);
// `results.js` holds the results code, required the first time results are opened
// (src/vscode/results/resultsModule.ts). Activation parses neither.
//
// A fourth, `extension.test.js` (test/hostEntry.ts), is the same extension whose `activate()`
// returns its internals for the extension-host tests. It is built except with --production, and
// never packaged: .vscodeignore ships only the three above.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Resolves the lazy `require('./sdk')` of the client factory and `require('./resultsBundle')` of
 * the results module to their sibling bundles instead of inlining them.
 */
const lazySiblingBundles = {
  name: 'lazy-sibling-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk$/ }, (args) =>
      args.importer.endsWith('client.ts') ? { path: './sdk.js', external: true } : undefined,
    );
    build.onResolve({ filter: /^\.\/resultsBundle$/ }, (args) =>
      args.importer.endsWith('resultsModule.ts') ? { path: './results.js', external: true } : undefined,
    );
  },
};

/** Prints errors in the format the `$esbuild-watch` problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const context = await esbuild.context({
  entryPoints: {
    extension: 'src/extension.ts',
    sdk: 'src/api/sdk.ts',
    results: 'src/vscode/results/resultsBundle.ts',
    ...(production ? {} : { 'extension.test': 'test/hostEntry.ts' }),
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  plugins: watch ? [lazySiblingBundles, problemMatcher] : [lazySiblingBundles],
});

if (watch) {
  await context.watch();
} else {
  const result = await context.rebuild();
  await context.dispose();
  if (process.argv.includes('--metafile')) {
    const fs = await import('node:fs');
    fs.writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  }
}
