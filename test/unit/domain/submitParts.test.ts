import { strict as assert } from 'node:assert';
import { BatchesApi, createClient } from '../../../src/api';
import { scanBatchFile, type BatchSource } from '../../../src/domain/batchUpload';
import { planSubmission, submitParts, type AmbiguousChoice, type AmbiguousQuestion, type SubmitPartsOptions } from '../../../src/domain/submission';
import { SubmissionRegistry } from '../../../src/domain/submissionRegistry';
import { startEmulator, type Emulator } from '../../emulator';

const line = (id: string, text = `question ${id}`) =>
  JSON.stringify({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: text }] } });

/** A file whose text a test can change between the check and the upload. */
function file(lines: string[]): BatchSource & { setLines(l: string[]): void } {
  let bytes = Buffer.from(lines.join('\n'));
  return {
    setLines: (l) => (bytes = Buffer.from(l.join('\n'))),
    async *open() {
      for (let i = 0; i < bytes.length; i += 64) yield bytes.subarray(i, i + 64);
    },
  };
}

function memoryRegistry(): SubmissionRegistry {
  const data: Record<string, unknown> = {};
  return new SubmissionRegistry({ get: <T>(key: string) => data[key] as T, update: async (key, value) => void (data[key] = value) });
}

const T0 = Date.parse('2026-11-01T10:00:00Z');

describe('submitParts: a file\'s parts created in order, each exactly once', () => {
  let emulator: Emulator;
  let api: BatchesApi;
  let registry: SubmissionRegistry;
  let logged: string[];
  let asked: AmbiguousQuestion[];
  let created: string[];

  beforeEach(async () => {
    emulator = await startEmulator({ timing: 'manual' });
    api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }));
    registry = memoryRegistry();
    logged = [];
    asked = [];
    created = [];
  });
  afterEach(async () => {
    await emulator.close();
  });

  const creates = () => emulator.requests.filter((r) => r.route === 'create').length;
  const sizes = () => emulator.batchIds().map((id) => emulator.batch(id)!.request_counts.processing);

  /** Five lines in parts of at most two requests: 2, 2, 1. */
  async function plan(lines = ['a', 'b', 'c', 'd', 'e'].map((id) => line(id)), maxRequests = 2) {
    const source = file(lines);
    const scan = await scanBatchFile(source, { maxRequests, maxBodyBytes: 1e9 });
    const submitPlan = planSubmission(scan, { source, name: 'big.jsonl', sourcePath: '/work/big.jsonl', machine: 'host', workspace: 'ws', parentBatchId: undefined }, () => T0);
    return { source, scan, plan: submitPlan };
  }

  function options(over: Partial<SubmitPartsOptions> & { answers?: AmbiguousChoice[] } = {}): SubmitPartsOptions {
    const answers = [...(over.answers ?? [])];
    return {
      api,
      registry,
      now: Date.now,
      decideAmbiguous: async (question) => {
        asked.push(question);
        const answer = answers.shift();
        if (!answer) throw new Error(`unexpected question about ${question.label}`);
        return answer;
      },
      onCreated: (c) => void created.push(`${c.label} ${c.batch.id}`),
      log: { info: (l) => logged.push(`info ${l}`), warn: (l) => logged.push(`warn ${l}`), error: (l) => logged.push(`error ${l}`) },
      ...over,
    };
  }

  it('plans a group only for a file of several parts', async () => {
    const { plan: several, scan } = await plan();
    assert.deepEqual(several.group, { id: `${scan.contentHash.slice(0, 12)}-${T0.toString(36)}`, parts: 3, label: 'big.jsonl' });
    assert.deepEqual(several.parts, scan.parts);
    assert.deepEqual(several.models, ['claude-haiku-4-5']);
    const { plan: one } = await plan([line('a')]);
    assert.equal(one.group, undefined);
  });

  it('all parts created in order; the registry records each with its group; told of each before the next is sent', async () => {
    const { plan: p } = await plan();
    const uploads: string[] = [];
    const result = await submitParts(
      p,
      options({
        uploading: async (label, part, upload) => {
          uploads.push(`${label}: ${part.requests}`);
          return upload();
        },
        onCreated: (c) => void created.push(`${c.label} after ${creates()} creates`),
      }),
    );
    assert.equal(result.kind, 'submitted');
    assert.deepEqual(result.created.map((c) => c.part.index), [0, 1, 2]);
    assert.deepEqual(sizes().sort(), [1, 2, 2]);
    assert.equal(creates(), 3);
    assert.deepEqual(uploads, ['big.jsonl (part 1 of 3): 2', 'big.jsonl (part 2 of 3): 2', 'big.jsonl (part 3 of 3): 1']);
    assert.deepEqual(created, ['big.jsonl (part 1 of 3) after 1 creates', 'big.jsonl (part 2 of 3) after 2 creates', 'big.jsonl (part 3 of 3) after 3 creates']);
    assert.deepEqual(asked, []);
    const records = result.created.map((c) => registry.get(c.batch.id)!);
    assert.deepEqual(
      records.map((r) => r.group),
      [1, 2, 3].map((part) => ({ ...p.group!, part })),
    );
    assert.deepEqual(
      records.map((r) => [r.label, r.requestCount, r.sourcePath, r.contentHash, r.machine, r.workspace, r.adopted]),
      [
        ['big.jsonl (part 1 of 3)', 2, '/work/big.jsonl', p.contentHash, 'host', 'ws', undefined],
        ['big.jsonl (part 2 of 3)', 2, '/work/big.jsonl', p.contentHash, 'host', 'ws', undefined],
        ['big.jsonl (part 3 of 3)', 1, '/work/big.jsonl', p.contentHash, 'host', 'ws', undefined],
      ],
    );
    assert.deepEqual(records.map((r) => r.byteSize), p.parts.map((part) => part.bodyBytes));
    assert.deepEqual(records[0].models, ['claude-haiku-4-5']);
    assert.ok(logged.includes(`info Submitted big.jsonl (part 2 of 3) as ${result.created[1].batch.id} (2 requests).`), logged.join('\n'));
  });

  it('one part: labelled with the file name, no group, the batch it retries remembered', async () => {
    const { plan: p } = await plan([line('a'), line('b')]);
    const result = await submitParts({ ...p, parentBatchId: 'msgbatch_parent' }, options());
    assert.equal(result.kind, 'submitted');
    const record = registry.get(result.created[0].batch.id)!;
    assert.equal(record.label, 'big.jsonl');
    assert.equal(record.group, undefined);
    assert.equal(record.parentBatchId, 'msgbatch_parent');
  });

  it('part 2 lost after the API created it: adopted without asking; never part 1\'s batch of the same size', async () => {
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        onCreated: () => {
          if (first) emulator.faults.add({ route: 'create', drop: 'after-commit' });
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'submitted');
    assert.deepEqual(asked, []);
    assert.equal(creates(), 3);
    assert.equal(new Set(result.created.map((c) => c.batch.id)).size, 3);
    assert.deepEqual(emulator.batchIds().sort(), result.created.map((c) => c.batch.id).sort());
    assert.equal(result.created[1].adoptedAfter?.kind !== undefined, true);
    assert.equal(registry.get(result.created[1].batch.id)!.adopted, true);
    assert.equal(registry.get(result.created[0].batch.id)!.adopted, undefined);
    assert.ok(logged.some((l) => l.startsWith('warn Submitting big.jsonl (part 2 of 3) failed ambiguously') && l.endsWith(`found and adopted ${result.created[1].batch.id}.`)), logged.join('\n'));
  });

  it('part 1 already in the registry does not stand in for part 2 even when nothing else would be found', async () => {
    // Part 2 is lost before the API created it; part 1 (same size, just created) must not be adopted.
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        answers: ['stop'],
        onCreated: () => {
          if (first) emulator.faults.add({ route: 'create', drop: 'before-commit' });
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'undecided');
    assert.equal(asked.length, 1);
  });

  it('part 2 ambiguous, nothing found: decideAmbiguous is asked; check again, then resend; part 3 follows', async () => {
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        answers: ['checkAgain', 'resend'],
        onCreated: () => {
          if (first) emulator.faults.add({ route: 'create', drop: 'before-commit' });
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'submitted');
    assert.equal(asked.length, 2);
    assert.equal(asked[0].label, 'big.jsonl (part 2 of 3)');
    assert.equal(asked[0].part.index, 1);
    assert.equal(asked[0].checkError, undefined);
    assert.ok(Number.isFinite(Date.parse(asked[0].since)));
    assert.ok(asked[0].error.message.length > 0);
    // Sent: part 1, part 2 (lost), part 2 again on the explicit choice, part 3.
    assert.equal(creates(), 4);
    assert.deepEqual(sizes().sort(), [1, 2, 2]);
    assert.deepEqual(result.created.map((c) => c.part.index), [0, 1, 2]);
    assert.equal(registry.get(result.created[1].batch.id)!.adopted, undefined);
    assert.ok(logged.includes("warn Submitting big.jsonl (part 2 of 3): resending after an ambiguous failure, on the user's explicit choice."), logged.join('\n'));
  });

  it('part 2 ambiguous, the batch turns up later: check again adopts it, nothing sent twice', async () => {
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        decideAmbiguous: async (q) => {
          asked.push(q);
          // The API's list catches up: the batch the lost request made is there now.
          emulator.createBatch(['x', 'y'].map((id) => JSON.parse(line(id)) as never));
          return 'checkAgain';
        },
        onCreated: () => {
          if (first) {
            emulator.faults.add({ route: 'create', drop: 'before-commit' });
            emulator.faults.add({ route: 'list', status: 401 });
          }
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'submitted');
    assert.equal(asked.length, 1);
    assert.ok(asked[0].checkError, 'looking for the batch failed too: said');
    assert.equal(creates(), 3);
    assert.equal(registry.get(result.created[1].batch.id)!.adopted, true);
  });

  it('part 2 ambiguous, the user stops: part 3 is not sent, part 1 stays recorded', async () => {
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        answers: ['stop'],
        onCreated: () => {
          if (first) emulator.faults.add({ route: 'create', status: 529 });
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'undecided');
    assert.equal(result.kind === 'undecided' && result.part.index, 1);
    assert.deepEqual(result.created.map((c) => c.part.index), [0]);
    assert.equal(creates(), 2);
    assert.ok(registry.get(result.created[0].batch.id));
    assert.equal(registry.list().length, 1);
    assert.ok(logged.some((l) => l.startsWith('warn Submitting big.jsonl (part 2 of 3): left undecided after an ambiguous failure (')), logged.join('\n'));
  });

  it('a definite failure of part 2 stops the rest and says which parts were created; the remaining parts can be sent later', async () => {
    const { plan: p } = await plan();
    let first = true;
    const result = await submitParts(
      p,
      options({
        onCreated: () => {
          if (first) emulator.faults.add({ route: 'create', status: 429 });
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.part.index, 1);
    assert.equal(result.label, 'big.jsonl (part 2 of 3)');
    assert.equal(result.error.kind, 'rateLimited');
    assert.deepEqual(result.created.map((c) => c.part.index), [0]);
    assert.deepEqual(result.remaining.map((part) => part.index), [1, 2]);
    assert.equal(creates(), 2, 'part 3 was not sent');
    assert.deepEqual(asked, []);
    assert.ok(logged.includes('warn big.jsonl (part 2 of 3) was not submitted.'), logged.join('\n'));
    assert.ok(logged.some((l) => l.startsWith('error ')), logged.join('\n'));

    const rest = await submitParts({ ...p, parts: result.remaining }, options());
    assert.equal(rest.kind, 'submitted');
    assert.deepEqual(rest.created.map((c) => registry.get(c.batch.id)!.group), [2, 3].map((part) => ({ ...p.group!, part })));
    assert.equal(registry.list().length, 3);
    assert.deepEqual(sizes().sort(), [1, 2, 2]);
  });

  it('the file changed while part 2 was uploading: part 2 is a definite failure, no batch made from it', async () => {
    const lines = ['a', 'b', 'c', 'd', 'e'].map((id) => line(id));
    const { plan: p, source } = await plan(lines);
    let first = true;
    const result = await submitParts(
      p,
      options({
        onCreated: () => {
          if (first) source.setLines([lines[0], lines[1], line('c', 'changed'), lines[3], lines[4]]);
          first = false;
        },
      }),
    );
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.part.index, 1);
    assert.equal(result.error.kind, 'bodySource');
    assert.match(result.error.message, /The file changed while it was being submitted/);
    assert.deepEqual(asked, []);
    assert.deepEqual(sizes(), [2], 'only part 1 exists');
    assert.deepEqual(result.created.map((c) => c.part.index), [0]);
  });
});
