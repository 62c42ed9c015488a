// What activation registers in place of the features (src/vscode/core/standIns.ts): a command or
// a document of the scheme loads the features the first time it is used, once, and then reaches
// what they attached. The Batches view's stand-in is proven by the journeys, which run the
// extension as it ships (its features load when the view is first shown).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { CommandStandIns, ContentStandIn } from '../../src/vscode/core/standIns';

describe('stand-ins registered at activation', () => {
  const disposables: vscode.Disposable[] = [];
  afterEach(() => {
    for (const d of disposables.splice(0)) d.dispose();
  });
  let n = 0;
  const unique = (what: string) => `claudeBatchesTest.${what}${Date.now()}x${n++}`;

  it('a command loads the features on its first run only, then runs their handler with its arguments', async () => {
    const id = unique('command');
    let loads = 0;
    const standIns: CommandStandIns = new CommandStandIns([id], () => {
      loads++;
      disposables.push(standIns.attach(id, (...args) => ({ args })));
    });
    disposables.push(standIns);
    assert.equal(loads, 0, 'registering the stand-in must not load the features');
    assert.deepEqual(await vscode.commands.executeCommand(id, 1, 'two'), { args: [1, 'two'] });
    assert.deepEqual(await vscode.commands.executeCommand(id, 3), { args: [3] });
    assert.equal(loads, 1);
  });

  it('a command the features brought no handler for says so, naming it', async () => {
    const id = unique('orphan');
    const standIns = new CommandStandIns([id], () => undefined);
    disposables.push(standIns);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(id)), (err: Error) => err.message.includes(id) && /reload the window/.test(err.message));
  });

  it('a second handler for one command is refused; disposing a handler detaches it, disposing the stand-ins unregisters the commands', async () => {
    const id = unique('twice');
    let loads = 0;
    const standIns = new CommandStandIns([id], () => void loads++);
    disposables.push(standIns);
    const first = standIns.attach(id, () => 'first');
    assert.throws(() => standIns.attach(id, () => 'second'), /has a handler already/);
    assert.equal(await vscode.commands.executeCommand(id), 'first');
    first.dispose();
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand(id)));
    assert.equal(loads, 1, 'a detached handler makes the next run try to load again');
    standIns.dispose();
    assert.ok(!(await vscode.commands.getCommands(true)).includes(id), 'the command is still registered');
  });

  it('a document of the scheme loads the features once, shows their content, and follows their changes', async () => {
    const scheme = unique('scheme').replace(/[^a-zA-Z0-9]/g, '').toLowerCase();
    let loads = 0;
    let text = 'first text';
    const changed = new vscode.EventEmitter<vscode.Uri>();
    disposables.push(changed);
    const standIn: ContentStandIn = new ContentStandIn(scheme, () => {
      loads++;
      disposables.push(standIn.attach({ onDidChange: changed.event, provideTextDocumentContent: () => text }));
    });
    disposables.push(standIn);
    assert.equal(loads, 0);
    const uri = vscode.Uri.parse(`${scheme}:/a/document`);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), 'first text');
    text = 'second text';
    const updated = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString() && e.document.getText() === 'second text') {
          sub.dispose();
          resolve();
        }
      });
    });
    changed.fire(uri);
    await updated;
    assert.equal(loads, 1);
  });
});
