// A virtual workspace (a file system an extension provides, not this machine's disk): a batch
// file there is checked and submitted through VS Code's file system, and one too big to hold in
// memory is refused with what to do, not read.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { perTest } from './helpers';

/** A read-only file system of a few files held in memory, as a virtual workspace provides them. */
class MemoryFiles implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  reads = 0;
  constructor(private readonly files: Map<string, { bytes?: Uint8Array; size: number }>) {}
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: file.size };
  }
  readDirectory(): [string, vscode.FileType][] {
    return [...this.files.keys()].map((p) => [p.slice(1), vscode.FileType.File]);
  }
  readFile(uri: vscode.Uri): Uint8Array {
    this.reads++;
    const file = this.files.get(uri.path);
    if (!file?.bytes) throw vscode.FileSystemError.FileNotFound(uri);
    return file.bytes;
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
}

describe('batch files in a virtual workspace', () => {
  const t = perTest({ timing: 'manual' });
  const scheme = `cbvirtual${Date.now()}`;
  const line = (id: string) => JSON.stringify({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: `hi ${id}` }] } });
  const remote = new TextEncoder().encode(`${line('a')}\n${line('b')}\n`);
  const files = new MemoryFiles(
    new Map([
      ['/remote.batch.jsonl', { bytes: remote, size: remote.length }],
      // Its size only: reading it would fail the test.
      ['/huge.batch.jsonl', { size: 300 * 1024 * 1024 }],
    ]),
  );
  let registration: vscode.Disposable;
  before(() => {
    registration = vscode.workspace.registerFileSystemProvider(scheme, files, { isReadonly: true });
  });
  after(() => registration.dispose());

  it('submits a batch file read through VS Code\'s file system', async () => {
    t.ui.answer('confirm', /^Submit 2 requests from remote\.batch\.jsonl as a batch\?/, 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', vscode.Uri.parse(`${scheme}:/remote.batch.jsonl`));
    t.ui.verify();
    assert.ok(batch, 'no batch was created');
    assert.equal(t.emulator.batch(batch.id)?.request_counts.processing, 2);
  });

  it('refuses a virtual file over 256 MB before reading it, and says to copy it to a local folder', async () => {
    const before = files.reads;
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.parse(`${scheme}:/huge.batch.jsonl`));
    assert.equal(files.reads, before, 'the file was read');
    assert.equal(t.emulator.requests.filter((r) => r.route === 'create').length, 0);
    assert.match(t.ui.messages('error').join('\n'), /huge\.batch\.jsonl is 300(\.0)? MB, over the 256(\.0)? MB .*Copy it to a local folder/);
  });
});
