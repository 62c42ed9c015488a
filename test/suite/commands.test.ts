import { strict as assert } from 'node:assert';
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
    for (const command of json.commands as ContributedCommand[]) {
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
