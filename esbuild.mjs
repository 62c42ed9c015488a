// Bundles the extension into CommonJS files with `vscode` external.
//
// Five entry points ship: `extension.js` is what VS Code loads at activation, the stand-ins only
// (src/extension.ts); `features.js` is everything the extension does, required the first time
// one of them is used (src/features.ts); `sdk.js` holds @anthropic-ai/sdk and is required the
// first time an API call is made (src/api/client.ts); `results.js` holds the results code,
// required the first time results are opened (src/vscode/results/resultsModule.ts); `data.js`
// holds building batches from data, with csv-parse, required the first time a data command runs
// or a template is opened (src/vscode/data/dataModule.ts).
//
// A sixth, `extension.test.js` (test/hostEntry.ts), is the same extension whose `activate()`
// returns its internals for the extension-host tests. It is built except with --production, and
// never packaged: .vscodeignore ships only the five above.
//
// Importable: `buildOptions()` is the configuration, which test/unit/build/bundles.test.ts builds
// in memory to check what each bundle holds. Run as a script, it builds into dist/.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The bundles loaded on first use, each by the source file it is built from. */
const LAZY_BUNDLES = {
  features: 'src/features.ts',
  sdk: 'src/api/sdk.ts',
  results: 'src/vscode/results/resultsBundle.ts',
  data: 'src/vscode/data/dataBundle.ts',
};

/** Marks the lookup the plugin makes itself, so that it does not intercept its own resolution. */
const OWN_LOOKUP = Symbol('lazy-sibling-bundles');

/**
 * Keeps the lazily loaded bundles out of the bundles that load them: whatever module resolves to
 * the entry of a lazy bundle (src/api/sdk.ts, src/vscode/results/resultsBundle.ts), from whichever
 * file, becomes a `require('./<bundle>.js')` of the sibling bundle in dist/, never inlined. Keyed
 * on what is imported, so renaming or moving the loader changes nothing. Only `require()` may load
 * them: a static import would parse them at activation, so it fails the build.
 */
const lazySiblingBundles = {
  name: 'lazy-sibling-bundles',
  setup(build) {
    const siblings = new Map(Object.entries(LAZY_BUNDLES).map(([name, source]) => [path.join(root, source), { name, source }]));
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData === OWN_LOOKUP) return undefined;
      const { path: resolved, errors } = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: OWN_LOOKUP });
      const sibling = errors.length === 0 ? siblings.get(resolved) : undefined;
      if (!sibling) return undefined;
      if (args.kind !== 'require-call') {
        return { errors: [{ text: `${sibling.source} is the bundle dist/${sibling.name}.js, loaded on first use: require() it where it is first needed instead of importing it (import type is fine).` }] };
      }
      return { path: `./${sibling.name}.js`, external: true };
    });
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

/** The esbuild options of the bundles (`production`: minified, no test bundle, no source maps). */
export function buildOptions({ production = false, watch = false } = {}) {
  return {
    absWorkingDir: root,
    entryPoints: {
      extension: 'src/extension.ts',
      ...LAZY_BUNDLES,
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
  };
}

async function main() {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const context = await esbuild.context(buildOptions({ production, watch }));
  if (watch) {
    await context.watch();
    return;
  }
  const result = await context.rebuild();
  await context.dispose();
  if (process.argv.includes('--metafile')) {
    fs.writeFileSync(path.join(root, 'dist', 'meta.json'), JSON.stringify(result.metafile));
  }
}

if (process.argv[1] && fs.realpathSync(path.resolve(process.argv[1])) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  await main();
}
