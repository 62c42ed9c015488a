// Bundles the extension into CommonJS files with `vscode` external.
//
// Two entry points: `extension.js` is what VS Code loads at activation; `sdk.js` holds
// @anthropic-ai/sdk and is required the first time an API call is made (see src/api/client.ts).
// Activation therefore never parses the SDK.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Resolves the client factory's `require('./sdk')` to the sibling bundle instead of inlining it. */
const sdkAsSiblingBundle = {
  name: 'sdk-as-sibling-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk$/ }, (args) =>
      args.importer.endsWith('client.ts') ? { path: './sdk.js', external: true } : undefined,
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
  entryPoints: { extension: 'src/extension.ts', sdk: 'src/api/sdk.ts' },
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
  plugins: watch ? [sdkAsSiblingBundle, problemMatcher] : [sdkAsSiblingBundle],
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
