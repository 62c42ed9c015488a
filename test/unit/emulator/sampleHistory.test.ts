import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { seedSampleHistory, startEmulator, type Emulator, type SampleHistory } from '../../emulator';

type Line = Anthropic.Messages.Batches.MessageBatchIndividualResponse;

const T0 = Date.UTC(2026, 8, 20, 14, 0, 0);
const DAY = 24 * 3600_000;

describe('emulator sample history', () => {
  let emu: Emulator;
  let sdk: Anthropic;
  let ids: SampleHistory;

  before(async () => {
    emu = await startEmulator({ now: () => T0 });
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
    ids = seedSampleHistory(emu);
  });
  after(async () => {
    await emu.close();
  });

  async function lines(id: string): Promise<Line[]> {
    const out: Line[] = [];
    for await (const line of await sdk.messages.batches.results(id)) out.push(line);
    return out;
  }

  it('lists batches in every state, newest first', async () => {
    const all = [];
    for await (const b of sdk.messages.batches.list({ limit: 3 })) all.push(b);
    assert.equal(all.length, 8);
    const created = all.map((b) => Date.parse(b.created_at));
    assert.deepEqual(
      created,
      [...created].sort((a, b) => b - a),
    );
    const statuses = new Set(all.map((b) => b.processing_status));
    assert.deepEqual([...statuses].sort(), ['canceling', 'ended', 'in_progress']);
  });

  it('has ended batches, all succeeded', async () => {
    for (const id of [ids.ticketTriage, ids.releaseNotes]) {
      const b = await sdk.messages.batches.retrieve(id);
      assert.equal(b.processing_status, 'ended');
      assert.ok(b.request_counts.succeeded > 0);
      assert.equal(b.request_counts.succeeded, b.request_counts.succeeded + b.request_counts.errored + b.request_counts.expired + b.request_counts.canceled);
      assert.ok(Date.parse(b.ended_at ?? '') > Date.parse(b.created_at));
    }
  });

  it('has a mixed batch with api_error, overloaded_error, invalid_request_error and expired', async () => {
    const b = await sdk.messages.batches.retrieve(ids.productCopy);
    assert.equal(b.processing_status, 'ended');
    assert.deepEqual(b.request_counts, { processing: 0, succeeded: 17, errored: 5, canceled: 0, expired: 2 });
    const errorTypes = new Set<string>();
    for (const line of await lines(ids.productCopy)) {
      assert.match(line.custom_id, /^sku-\d+-(concise|playful|technical)$/);
      if (line.result.type === 'errored') errorTypes.add(line.result.error.error.type);
      if (line.result.type === 'succeeded') {
        const block = line.result.message.content[0];
        assert.ok(block.type === 'text' && !block.text.includes('[[emulator'), 'no marker in sample prompts');
      }
    }
    assert.deepEqual([...errorTypes].sort(), ['api_error', 'invalid_request_error', 'overloaded_error']);
  });

  it('has one in progress and one canceling', async () => {
    const running = await sdk.messages.batches.retrieve(ids.interviews);
    assert.equal(running.processing_status, 'in_progress');
    assert.equal(running.request_counts.processing, 18);
    const canceling = await sdk.messages.batches.retrieve(ids.codeReview);
    assert.equal(canceling.processing_status, 'canceling');
    assert.notEqual(canceling.cancel_initiated_at, null);
  });

  it('has a canceled-and-ended batch with canceled requests', async () => {
    const b = await sdk.messages.batches.retrieve(ids.changelogCanceled);
    assert.equal(b.processing_status, 'ended');
    assert.notEqual(b.cancel_initiated_at, null);
    assert.deepEqual(b.request_counts, { processing: 0, succeeded: 6, errored: 0, canceled: 19, expired: 0 });
    const types = (await lines(ids.changelogCanceled)).map((l) => l.result.type);
    assert.equal(types.filter((t) => t === 'canceled').length, 19);
  });

  it('has an expired batch created more than 24 h ago', async () => {
    const b = await sdk.messages.batches.retrieve(ids.reportDrafts);
    assert.ok(T0 - Date.parse(b.created_at) > DAY);
    assert.equal(b.processing_status, 'ended');
    assert.equal(b.ended_at, b.expires_at);
    assert.deepEqual(b.request_counts, { processing: 0, succeeded: 14, errored: 0, canceled: 0, expired: 2 });
  });

  it('has a batch older than 29 days whose results are archived', async () => {
    const b = await sdk.messages.batches.retrieve(ids.archivedFaq);
    assert.ok(T0 - Date.parse(b.created_at) > 29 * DAY);
    assert.notEqual(b.archived_at, null);
    await assert.rejects(sdk.messages.batches.results(ids.archivedFaq), Anthropic.NotFoundError);
  });
});
