import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('commands', () => {
  const ext = () => vscode.extensions.getExtension('claude-batches.claude-batches')!;
  const contributed = () => (ext().packageJSON.contributes.commands as ContributedCommand[]).map((c) => c.command).sort();

  before(async () => {
    await ext().activate();
  });

  it('registers every contributed command, and contributes every registered one', async () => {
    // VS Code adds claudeBatches.batches.focus and friends for the view itself: not ours.
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('claudeBatches.') && !c.startsWith('claudeBatches.batches.'))
      .sort();
    assert.deepEqual(registered, contributed());
  });

  it('gives every command the "Claude Batches" category, or hides it from the palette', () => {
    const json = ext().packageJSON.contributes;
    const hidden = new Set(
      ((json.menus?.commandPalette ?? []) as { command: string; when?: string }[])
        .filter((m) => m.when === 'false')
        .map((m) => m.command),
    );
    // Loaded from source, VS Code hands the manifest as written: titles are %keys% of package.nls.json.
    const nls = JSON.parse(fs.readFileSync(path.join(ext().extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const shown = (text: string | undefined) => (text && /^%.+%$/.test(text) ? nls[text.slice(1, -1)] : text);
    for (const raw of json.commands as ContributedCommand[]) {
      const command = { ...raw, title: shown(raw.title) ?? '', category: shown(raw.category) };
      assert.ok(command.title.length > 3, `${command.command} has no real title`);
      if (!hidden.has(command.command)) {
        assert.equal(command.category, 'Claude Batches', `${command.command} has no category`);
      }
    }
  });

  it('names every command claudeBatches.<verb>', () => {
    for (const id of contributed()) assert.match(id, /^claudeBatches\.[a-z][A-Za-z]+$/);
  });
});
