import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedUi } from './scriptedUi';
import { extensionApi, resetStore, scriptUi, useEmulator, workspaceDir } from './helpers';

describe('files over one batch\'s limits', () => {
  let emulator: Awaited<ReturnType<typeof useEmulator>>;
  let ui: ScriptedUi;
  let restore: () => void;

  before(async () => {
    emulator = await useEmulator({ timing: 'manual' });
    await resetStore();
    ({ ui, restore } = await scriptUi());
  });
  after(async () => {
    restore();
    await emulator.stop();
  });

  it('a 150,000-line file is offered as 2 batches, sent as 2, remembered and shown as one group, saved merged', async function () {
    this.timeout(180_000);
    const file = path.join(workspaceDir(), 'big-150k.jsonl');
    const out = fs.createWriteStream(file);
    for (let i = 0; i < 150_000; i++) {
      out.write(`{"custom_id":"q${i}","params":{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"n${i}"}]}}\n`);
    }
    await new Promise((resolve) => out.end(resolve));

    ui.answer('confirm', /^Submit 150,000 requests from big-150k\.jsonl as 2 batches\?/, 'Submit 2 Batches');
    await vscode.commands.executeCommand('claudeBatches.submitFile', vscode.Uri.file(file));
    ui.verify();
    const detail = ui.shown.find((s) => s.kind === 'confirm')!.detail!;
    assert.match(detail, /part 1: lines 1–100,000, 100,000 requests/);
    assert.match(detail, /part 2: lines 100,001–150,000, 50,000 requests/);

    const ids = emulator.batchIds();
    assert.equal(ids.length, 2);
    const sizes = ids.map((id) => emulator.batch(id)!.request_counts.processing).sort((a, b) => b - a);
    assert.deepEqual(sizes, [100_000, 50_000]);
    assert.equal(emulator.requests.filter((r) => r.route === 'create').length, 2);

    const { registry, store } = await extensionApi();
    const records = ids.map((id) => registry.get(id)!);
    assert.equal(records[0].group!.id, records[1].group!.id);
    assert.deepEqual(records.map((r) => r.group!.part).sort(), [1, 2]);
    assert.deepEqual(records.map((r) => r.label).sort(), ['big-150k.jsonl (part 1 of 2)', 'big-150k.jsonl (part 2 of 2)']);
    assert.equal(store.batches.filter((b) => ids.includes(b.id)).length, 2);
    // The view shows them as one group row with the two batches under it, in part order.
    const { tree } = await extensionApi();
    const group = tree.getChildren().find((n) => n.kind === 'group') as { label: string; members: readonly { batch: { id: string } }[] };
    assert.ok(group, 'no group row');
    assert.equal(group.label, 'big-150k.jsonl');
    const partOf = (id: string) => registry.get(id)!.group!.part;
    assert.deepEqual(group.members.map((m) => partOf(m.batch.id)), [1, 2]);
    const row = tree.getTreeItem(group as never);
    assert.match(String(row.description), /^2 batches · 2 running$/);

    // Saved merged: every custom_id once, in one file.
    for (const id of ids) emulator.finish(id);
    await store.refresh();
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-merged-')), 'merged.jsonl'));
    ui.answer('saveDialog', /Save the results of "big-150k\.jsonl" \(2 batches, merged\)/, target);
    const saved = await vscode.commands.executeCommand<boolean>('claudeBatches.saveResults', `group:${records[0].group!.id}`);
    ui.verify();
    assert.equal(saved, true);
    const seen = new Set<string>();
    let lines = 0;
    for (const text of fs.readFileSync(target.fsPath, 'utf8').split('\n')) {
      if (!text) continue;
      lines++;
      seen.add((JSON.parse(text) as { custom_id: string }).custom_id);
    }
    assert.equal(lines, 150_000);
    assert.equal(seen.size, 150_000);
  });
});
