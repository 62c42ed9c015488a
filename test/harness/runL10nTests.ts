// The translated tier: the extension, given pseudo-translations of its strings made by
// @vscode/l10n-dev, in a code-server whose display language is German. A translation needs
// files, not code: this proves it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { repoRoot, testExtensionFolder } from './codeServer';
import { exitWith, HOST_TEST_KEY, runHostSuite } from './hostSuite';

// A language VS Code knows, so that it becomes the display language; its translations here are
// pseudo-translations (accented letters), so that any English left over shows.
const LOCALE = 'de';
const PACK = 'claude-batches-tests.empty-language-pack';

/** code-server takes a display language only with a language pack for it: an empty one is enough. */
function emptyLanguagePack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-language-pack-'));
  fs.mkdirSync(path.join(dir, 'translations'));
  fs.writeFileSync(path.join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(dir, 'README.md'), 'An empty language pack for tests.\n');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'empty-language-pack',
      publisher: 'claude-batches-tests',
      version: '0.0.1',
      repository: 'https://example.invalid/none',
      engines: { vscode: '^1.90.0' },
      categories: ['Language Packs'],
      contributes: { localizations: [{ languageId: LOCALE, languageName: 'German', localizedLanguageName: 'Deutsch', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
    }),
  );
  const out = path.join(dir, 'pack.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const packed = spawnSync(vsce, ['package', '--no-dependencies', '--skip-license', '--out', out], { cwd: dir, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`vsce could not package the empty language pack:\n${packed.stdout}${packed.stderr}`);
  return out;
}

/** The test extension, with real copies of its strings and their pseudo-translations beside them. */
function pseudoLocalizedFolder(): string {
  const folder = testExtensionFolder();
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, string>;
  for (const link of ['package.nls.json', 'l10n']) fs.rmSync(path.join(folder, link), { recursive: true, force: true });
  // Copies, not the link to the repository's dist/: VS Code tells which extension code belongs to
  // by the file's real path, and hands the translations only to code inside the extension.
  const dist = path.join(repoRoot, 'dist');
  fs.rmSync(path.join(folder, 'dist'), { recursive: true, force: true });
  fs.mkdirSync(path.join(folder, 'dist'));
  fs.copyFileSync(path.join(dist, 'extension.test.js'), path.join(folder, 'dist', 'extension.js'));
  for (const file of fs.readdirSync(dist)) {
    if (/\.js$/.test(file) && !/^extension(\.test)?\.js$/.test(file)) fs.copyFileSync(path.join(dist, file), path.join(folder, 'dist', file));
  }
  fs.mkdirSync(path.join(folder, 'l10n'));
  const nls = read('package.nls.json');
  const bundle = read(path.join('l10n', 'bundle.l10n.json'));
  fs.writeFileSync(path.join(folder, 'package.nls.json'), JSON.stringify(nls));
  fs.writeFileSync(path.join(folder, `package.nls.${LOCALE}.json`), JSON.stringify(getL10nPseudoLocalized(nls)));
  fs.writeFileSync(path.join(folder, 'l10n', 'bundle.l10n.json'), JSON.stringify(bundle));
  fs.writeFileSync(path.join(folder, 'l10n', `bundle.l10n.${LOCALE}.json`), JSON.stringify(getL10nPseudoLocalized(bundle)));
  return folder;
}

exitWith(
  runHostSuite({
    name: 'l10n-host',
    extensionDevelopmentPath: pseudoLocalizedFolder(),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'l10nHost', 'index.js'),
    env: { ANTHROPIC_API_KEY: HOST_TEST_KEY },
    installVsix: emptyLanguagePack(),
    locale: LOCALE,
    // The server knows language packs from languagepacks.json, which it writes only once running.
    beforeStart: ({ userDataDir, extensionsDir }) => {
      const translations = path.join(extensionsDir, `${PACK}-0.0.1`, 'translations', 'main.i18n.json');
      const packs = { [LOCALE]: { hash: 'tests', label: 'Deutsch', extensions: [{ extensionIdentifier: { id: PACK }, version: '0.0.1' }], translations: { vscode: translations } } };
      fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
    },
    timeoutMinutes: 5,
  }),
);
