// What each bundle holds, read from the metafile of the project's own build configuration
// (esbuild.mjs), built in memory (nothing is written to dist/). Activation must parse neither the
// SDK nor the results code, and the bundles loaded on first use must stay separate whatever the
// files that load them are called.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

interface BuildConfig {
  buildOptions(flags?: { production?: boolean }): esbuild.BuildOptions;
}

async function buildConfig(): Promise<BuildConfig> {
  // A computed specifier: the configuration is a plain ES module, loaded as the build loads it.
  return (await import(pathToFileURL(path.join(ROOT, 'esbuild.mjs')).href)) as BuildConfig;
}

async function buildFiles(options: esbuild.BuildOptions): Promise<{ metafile: esbuild.Metafile; files: esbuild.OutputFile[] }> {
  const result = await esbuild.build({ ...options, write: false, logLevel: 'silent', metafile: true });
  return { metafile: result.metafile!, files: result.outputFiles ?? [] };
}

async function build(options: esbuild.BuildOptions): Promise<esbuild.Metafile> {
  return (await buildFiles(options)).metafile;
}

function output(meta: esbuild.Metafile, name: string): esbuild.Metafile['outputs'][string] {
  const out = meta.outputs[name];
  assert.ok(out, `the build makes no ${name} (it makes ${Object.keys(meta.outputs).join(', ')})`);
  return out;
}

const inputsOf = (meta: esbuild.Metafile, name: string) => Object.keys(output(meta, name).inputs);
const externalRequires = (meta: esbuild.Metafile, name: string) =>
  output(meta, name)
    .imports.filter((i) => i.external && i.kind === 'require-call')
    .map((i) => i.path);

/** The SDK's modules (node_modules may be a link elsewhere, so the metafile's path may climb out). */
const isSdk = (input: string) => /(^|\/)node_modules\/@anthropic-ai\/sdk\//.test(input);
/**
 * The features tidy stale download files, so the archive's file scanner is in both bundles; the
 * source links look for the words the results document writes before a line number, so both
 * word them with the same small module.
 */
const SHARED_WITH_ACTIVATION = new Set(['src/domain/results/archiveFiles.ts', 'src/domain/results/sourceLineWords.ts']);
/** Every module of the results code (src/domain/results), as the metafile names them. */
const RESULTS_CODE = fs
  .readdirSync(path.join(ROOT, 'src', 'domain', 'results'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/domain/results/${f}`);

describe('bundles: what each one holds (esbuild metafile)', function () {
  this.timeout(60_000);
  let config: BuildConfig;
  let development: esbuild.Metafile;
  let developmentFiles: esbuild.OutputFile[];
  let production: esbuild.Metafile;

  before(async () => {
    config = await buildConfig();
    let built: { metafile: esbuild.Metafile; files: esbuild.OutputFile[] };
    [built, production] = await Promise.all([buildFiles(config.buildOptions()), build(config.buildOptions({ production: true }))]);
    ({ metafile: development, files: developmentFiles } = built);
  });

  /**
   * What activation may parse: the stand-ins and the little they decide with. Anything more is
   * paid by every window at every start; it belongs in dist/features.js.
   */
  const ACTIVATION_MODULES = new Set([
    'src/extension.ts',
    'src/vscode/core/standIns.ts',
    'src/vscode/authoring/jsonLines.ts',
    'src/domain/unfinishedBatches.ts',
    'src/domain/accountsAtStart.ts',
    'src/vscode/results/resultsScheme.ts',
  ]);
  /** The modules a bundle really holds (esbuild lists modules it shook out with no bytes). */
  const heldBy = (meta: esbuild.Metafile, name: string) =>
    Object.entries(output(meta, name).inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file);

  for (const [build, bundle] of [
    ['production', 'dist/extension.js'],
    ['development', 'dist/extension.js'],
    ['development', 'dist/extension.test.js'],
  ] as const) {
    it(`${bundle} (${build}) holds the stand-ins only, and requires the features as the sibling bundle dist/features.js`, () => {
      const meta = build === 'production' ? production : development;
      const held = heldBy(meta, bundle);
      assert.ok(held.includes('src/extension.ts'), `${bundle} must hold src/extension.ts`);
      const extra = held.filter((i) => !ACTIVATION_MODULES.has(i) && i !== 'test/hostEntry.ts');
      assert.deepEqual(extra, [], `${bundle} must hold nothing but the stand-ins: every window parses it at startup`);
      assert.deepEqual(externalRequires(meta, bundle).filter((r) => r.startsWith('./')), ['./features.js'], `${bundle} must require ./features.js and no other bundle`);
    });
  }

  for (const [build, meta] of [
    ['production', () => production],
    ['development', () => development],
  ] as const) {
    it(`dist/features.js (${build}) holds the features, and neither the SDK nor the results code, which it requires as sibling bundles`, () => {
      const bundle = 'dist/features.js';
      const inputs = inputsOf(meta(), bundle);
      assert.ok(inputs.includes('src/features.ts'), `${bundle} must hold src/features.ts`);
      assert.deepEqual(inputs.filter(isSdk), [], `${bundle} must not hold the SDK: it loads dist/sdk.js at the first API call`);
      const inlined = inputs.filter((i) => (RESULTS_CODE.includes(i) && !SHARED_WITH_ACTIVATION.has(i)) || i === 'src/api/sdk.ts' || i === 'src/vscode/results/resultsBundle.ts');
      assert.deepEqual(inlined, [], `${bundle} must not hold the results code nor the SDK's entry: they are loaded on first use`);
      const requires = externalRequires(meta(), bundle);
      assert.ok(requires.includes('./sdk.js'), `${bundle} must require ./sdk.js (requires ${requires.join(', ')})`);
      assert.ok(requires.includes('./results.js'), `${bundle} must require ./results.js (requires ${requires.join(', ')})`);
    });
  }

  it('dist/sdk.js holds the SDK; dist/results.js holds every results module and no SDK', () => {
    for (const meta of [development, production]) {
      const sdk = inputsOf(meta, 'dist/sdk.js');
      assert.ok(sdk.includes('src/api/sdk.ts'));
      assert.ok(sdk.some((i) => isSdk(i)), 'dist/sdk.js must hold @anthropic-ai/sdk');
      const results = inputsOf(meta, 'dist/results.js');
      assert.deepEqual(
        RESULTS_CODE.filter((m) => !results.includes(m)),
        [],
        'dist/results.js must hold every module of src/domain/results',
      );
      assert.deepEqual(results.filter(isSdk), [], 'dist/results.js must not hold the SDK');
    }
    assert.equal(production.outputs['dist/extension.test.js'], undefined, 'the production build makes no test bundle');
  });

  it('dist/data.js holds the data code and csv-parse; dist/features.js holds neither, only the stubs that require it', () => {
    const DATA_CODE = fs
      .readdirSync(path.join(ROOT, 'src', 'domain', 'data'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/domain/data/${f}`);
    const isCsvParse = (input: string) => /(^|\/)node_modules\/csv-parse\//.test(input);
    for (const meta of [development, production]) {
      const data = inputsOf(meta, 'dist/data.js');
      assert.deepEqual(DATA_CODE.filter((m) => !data.includes(m)), [], 'dist/data.js must hold every module of src/domain/data');
      assert.ok(data.some(isCsvParse), 'dist/data.js must hold csv-parse');
      assert.deepEqual(data.filter(isSdk), [], 'dist/data.js must not hold the SDK');
      // A module with state held twice would be two states: dialogs a test scripted (ui.ts), the
      // cancellation the command wrapper recognises (commandRunner.ts), the settings problems
      // reported once (settings.ts). The extension hands the data code these instead.
      const stateful = ['src/vscode/core/ui.ts', 'src/vscode/commands/commandRunner.ts', 'src/vscode/core/settings.ts', 'src/vscode/commands/batchArgument.ts'];
      assert.deepEqual(stateful.filter((m) => data.includes(m)), [], 'dist/data.js must not hold its own copy of a module with state');
      // The features load the data code on first use; activation knows nothing of it.
      const features = inputsOf(meta, 'dist/features.js');
      const inlined = features.filter((i) => DATA_CODE.includes(i) || isCsvParse(i) || i === 'src/vscode/data/dataBundle.ts');
      assert.deepEqual(inlined, [], 'dist/features.js must not hold the data code: it loads dist/data.js on first use');
      assert.ok(externalRequires(meta, 'dist/features.js').includes('./data.js'), 'dist/features.js must require ./data.js');
    }
  });

  /** Builds `contents` as if it were a module named `sourcefile` in `dir`. */
  const probeFiles = (contents: string, dir: string, sourcefile: string) => {
    const { entryPoints: _entries, outdir: _outdir, ...options } = config.buildOptions();
    return buildFiles({ ...options, stdin: { contents, resolveDir: path.join(ROOT, dir), sourcefile, loader: 'ts' }, outfile: 'dist/probe.js' });
  };
  const probe = async (contents: string, dir: string, sourcefile: string) => (await probeFiles(contents, dir, sourcefile)).metafile;

  it('dist/results.js, which holds its own copy of the formatting code, formats in the locale the extension set', async () => {
    // As the extension does: set the locale in its own bundle, then open results (dist/results.js).
    const { files } = await probeFiles(
      [
        "import { setFormatLocale } from '../../common/format';",
        "import { resultsModule } from './resultsModule';",
        'export function run(): string | undefined {',
        "  setFormatLocale('de-DE');",
        "  const part = { path: 'a.jsonl', label: 'a', lines: 1500, total: 2000 };",
        "  return resultsModule().mergeNote({ file: 'all.jsonl', lines: 1500, total: 2000, incomplete: [part] }, [part]);",
        '}',
      ].join('\n'),
      'src/vscode/results',
      'probe.ts',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
    try {
      for (const file of [...files, ...developmentFiles]) {
        if (['probe.js', 'results.js'].includes(path.basename(file.path))) fs.writeFileSync(path.join(dir, path.basename(file.path)), file.contents);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { run } = require(path.join(dir, 'probe.js')) as { run(): string | undefined };
      assert.equal(run(), 'Only 1.500 of 2.000 results: part 1 (a) has 1.500 of 2.000.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lazy bundle is found by what is required, not by the name of the file requiring it', async () => {
    // As if src/vscode/results/resultsModule.ts or src/api/client.ts were renamed or moved.
    const meta = await probe(
      "export const load = () => [require('../results/resultsBundle'), require('../../api/sdk')];",
      'src/vscode/commands',
      'aRenamedLoader.ts',
    );
    const requires = externalRequires(meta, 'dist/probe.js');
    assert.ok(requires.includes('./results.js') && requires.includes('./sdk.js'), `requires ${requires.join(', ')}`);
    const inputs = inputsOf(meta, 'dist/probe.js');
    assert.deepEqual(
      inputs.filter((i) => isSdk(i) || RESULTS_CODE.includes(i)),
      [],
      'neither bundle may be inlined into the module that requires it',
    );
  });

  it('a static import of a lazy bundle fails the build, since it would load at activation', async () => {
    await assert.rejects(
      probe("import { Anthropic } from '../../api/sdk'; export const client = Anthropic;", 'src/vscode/commands', 'eager.ts'),
      (err: Error) => /src\/api\/sdk\.ts is the bundle dist\/sdk\.js, loaded on first use: require\(\) it/.test(err.message),
    );
  });
});
