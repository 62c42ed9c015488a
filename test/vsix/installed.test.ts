// Runs inside a code-server that has the packaged .vsix installed (not loaded from source):
// proves the package installs, activates, and carries everything it needs and nothing more.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('the packaged .vsix', () => {
  const ext = () => {
    const found = vscode.extensions.getExtension('claude-batches.claude-batches');
    assert.ok(found, 'the installed .vsix is not visible to VS Code');
    return found;
  };

  it('is installed from the package, not loaded from the source tree', () => {
    const repo = process.env.CLAUDE_BATCHES_REPO;
    assert.ok(repo, 'the runner did not say where the repo is');
    assert.ok(!ext().extensionPath.startsWith(repo), `loaded from ${ext().extensionPath}`);
  });

  it('ships only the bundles, media and docs', () => {
    const root = ext().extensionPath;
    assert.deepEqual(fs.readdirSync(path.join(root, 'dist')).sort(), ['data.js', 'extension.js', 'features.js', 'results.js', 'sdk.js']);
    for (const absent of ['node_modules', 'src', 'test', 'out', 'tsconfig.json']) {
      assert.equal(fs.existsSync(path.join(root, absent)), false, `${absent} must not ship`);
    }
    // vsce may rename README/CHANGELOG/LICENSE (readme.md, LICENSE.txt): compare case-insensitively.
    const top = fs.readdirSync(root).map((f) => f.toLowerCase());
    for (const doc of ['readme', 'changelog', 'license']) {
      assert.ok(top.some((f) => f.startsWith(doc)), `${doc} must ship (found ${top.join(', ')})`);
    }
    for (const asset of ['media/icon.png', 'media/batches.svg', 'package.nls.json', 'l10n/bundle.l10n.json']) {
      assert.equal(fs.existsSync(path.join(root, asset)), true, `${asset} must ship`);
    }
  });

  it('stays small, holds no source maps, and carries the README picture and the walkthrough pages itself', () => {
    const root = ext().extensionPath;
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile());
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(root, f)).size, 0);
    assert.ok(bytes < 2_000_000, `the installed package is ${bytes} bytes: ${files.join(', ')}`);
    assert.deepEqual(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts')), []);
    // The first picture of the README: relative, so the Extensions page renders it from the package, offline.
    const readme = fs.readFileSync(path.join(root, files.find((f) => f.toLowerCase() === 'readme.md')!), 'utf8');
    const picture = /!\[[^\]]*\]\(([^)]+)\)/.exec(readme)?.[1];
    assert.ok(picture && !/^[a-z]+:/i.test(picture), `the README's first picture is ${picture}`);
    assert.ok(fs.existsSync(path.join(root, picture)), `${picture} is not in the package`);
    const manifest = ext().packageJSON as { contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[] } };
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
      if (step.media.markdown) assert.ok(fs.existsSync(path.join(root, step.media.markdown)), `${step.media.markdown} is not in the package`);
    }
  });

  it('reads its manifest in words: every %key% of package.json is resolved from the package.nls.json it ships', () => {
    const manifest = ext().packageJSON as { displayName: string; contributes: { commands: { title: string; category?: string }[]; walkthroughs: { title: string }[] } };
    assert.equal(manifest.displayName, 'Claude Batches');
    const unresolved = manifest.contributes.commands.filter((c) => c.title.startsWith('%') || c.category?.startsWith('%')).map((c) => c.title);
    assert.deepEqual(unresolved, []);
    assert.equal(manifest.contributes.walkthroughs[0].title, 'Get Started with Claude Batches');
  });

  it('activates, registers its commands, loads its features on the first one, and its SDK and results bundles stand on their own', async () => {
    await ext().activate();
    assert.equal(ext().isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('claudeBatches.refresh'));
    // The first command loads dist/features.js from the installed package (a missing or broken
    // bundle rejects here).
    await vscode.commands.executeCommand('claudeBatches.showLog');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const features = require(path.join(ext().extensionPath, 'dist', 'features.js')) as { wire?: unknown };
    assert.equal(typeof features.wire, 'function');
    // The lazily loaded bundles, required from the installed package as the extension does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(path.join(ext().extensionPath, 'dist', 'sdk.js')) as { Anthropic?: new (options: object) => { messages?: { batches?: unknown } } };
    assert.equal(typeof sdk.Anthropic, 'function');
    // A client builds (nothing is sent: no request is made).
    assert.ok(new sdk.Anthropic!({ apiKey: 'sk-ant-probe-only-not-sent', baseURL: 'http://127.0.0.1:9' }).messages?.batches);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const results = require(path.join(ext().extensionPath, 'dist', 'results.js')) as { ResultsArchive?: unknown; renderResultsDocument?: unknown };
    assert.equal(typeof results.ResultsArchive, 'function');
    assert.equal(typeof results.renderResultsDocument, 'function');
  });

  it('hands other extensions nothing: no client, key, services or dialog seam in its exports', async () => {
    await ext().activate();
    // Any installed extension can read this; the packaged extension exports no API at all.
    assert.equal(ext().exports, undefined);
  });
});
