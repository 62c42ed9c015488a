import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readsAsWords, untranslatedText } from './userFacingText';

const repo = path.resolve(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Code without vscode whose words a person reads: the API's errors, the batch file checks (the
 * Problems panel), statuses and counts, the view's rows, results in full, Compare, Usage, the data
 * readers and templates. They translate through `@vscode/l10n` (see src/common/l10n.ts).
 */
const LOG_ONLY_FILES = new Set(
  [
    // Words for the log only (diagnosis, in English like VS Code's own logs).
    'domain/pollCoordinator.ts',
  ].map((f) => path.join(repo, 'src', f)),
);
const TRANSLATED_LAYERS = ['api', 'common', 'domain'].flatMap((dir) => sources(path.join(repo, 'src', dir))).filter((f) => !LOG_ONLY_FILES.has(f));

describe('l10n: no hard-coded words a person reads', () => {
  it('finds none in src/vscode, src/features.ts or src/extension.ts: each goes through vscode.l10n.t (or l10n.t where vscode cannot be imported)', () => {
    const files = [...sources(path.join(repo, 'src', 'vscode')), path.join(repo, 'src', 'features.ts'), path.join(repo, 'src', 'extension.ts'), ...TRANSLATED_LAYERS];
    const found = files.flatMap((file) =>
      untranslatedText(file, fs.readFileSync(file, 'utf8')).map((f) => `${path.relative(repo, file)}:${f.line}: ${JSON.stringify(f.text)}`),
    );
    assert.deepEqual(found, [], `Wrap these in vscode.l10n.t('…', args) (placeholders {0}, {1}…), or mark text that no person reads with a "// not translated: why" comment:\n${found.join('\n')}`);
  });

  describe('the check itself', () => {
    const find = (code: string) => untranslatedText('probe.ts', code).map((f) => f.text);

    it('flags messages, labels, titles and templates that are not translated', () => {
      assert.deepEqual(find(`import * as vscode from 'vscode';\nvoid vscode.window.showErrorMessage('The key was not saved.');`), ['The key was not saved.']);
      assert.deepEqual(find('const item = { label: "Cancel" };'), ['Cancel']);
      assert.deepEqual(find('const t = `Submitted ${name} as batch ${id}.`;'), ['Submitted {0} as batch {1}.']);
      assert.deepEqual(find('throw new Error(`${file} is not a batch file`);'), ['{0} is not a batch file']);
      assert.deepEqual(find('const d = `${formatCount(n)} results`;'), ['{0} results']);
      // A plural chosen in code: each form must be a whole translated message.
      assert.deepEqual(find("const w = n === 1 ? 'record' : 'records';"), ['record', 'records']);
      assert.deepEqual(find("vscode.l10n.t('{0} {1} left out', n, n === 1 ? 'copy' : 'copies');"), ['copy', 'copies']);
      assert.deepEqual(find("const view = raw ? 'markdown' : 'json';"), []);
    });

    it('lets translated text, ids, imports, types, log lines and marked text through', () => {
      const code = [
        "import * as vscode from 'vscode';",
        "import { thing } from './a module';",
        "type Kind = 'in progress' | 'ended';",
        "vscode.l10n.t('Submitted {0} as batch {1}.', a, b);",
        "vscode.l10n.t('Outer {0}', vscode.l10n.t('inner {0} words', x));",
        "void vscode.commands.executeCommand('workbench.action.openSettings', 'claudeBatches.notifyOnEnd');",
        "log.info('Polling 3 batches now');",
        "this.log.warn(`Lease held by ${other} window`);",
        "options.log?.warn(`${action}: resending after an ambiguous failure.`);",
        "throw new IndexProblem('old', `${file} is of version ${v}, not ${w}.`);",
        "const x = { 'Claude Batch (JSONL)': ['jsonl'] };",
        '// not translated: matched against the document text',
        "const MARK = '(source line ';",
        "const glob = '**/*.jsonl';",
        '// not translated: prompts written into a file',
        'const PROMPTS = [',
        "  ['haiku', 'Write a haiku about waiting for results.'],",
        '];',
      ].join('\n');
      assert.deepEqual(find(code), []);
    });

    it('reads words as words, and ids, paths and globs as not', () => {
      for (const words of ['a directory', 'Cancel', 'Open…', 'Submit as Batch', '{0} is not a batch file', 'Don’t show again', '(untitled)', '({0} line{1})']) assert.equal(readsAsWords(words), true, words);
      for (const not of ['claudeBatches.refresh', 'claude-batches:/result/x', '**/*.jsonl', 'msgbatch_01', 'utf8', 'in_progress', '', '{0}/{1}']) assert.equal(readsAsWords(not), false, not);
    });
  });
});
