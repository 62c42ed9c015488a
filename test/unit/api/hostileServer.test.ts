import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchesApi, createClient, describeError, type UserFacingError } from '../../../src/api';
import { submitOnce } from '../../../src/domain/submission';
import { batchObject } from '../results/helpers';

// A server that answers badly: cut-off and endless bodies, wrong content types, wrong shapes,
// huge headers. Every call gives a clear error, and reads a bounded amount of what it is sent.

const MB = 1024 * 1024;

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const batchJson = JSON.stringify({ ...batchObject('msgbatch_h', { succeeded: 1 }), results_url: null });

const answers: Record<string, Answer> = {
  cutOff: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
    res.write('{"data":[{"id":"msgbatch_h",');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  notJson: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":[{"id":');
  },
  html: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body>Welcome to the captive portal</body></html>');
  },
  wrongShape: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"hello":"world","data":"not a list"}');
  },
  hugeHeaders: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(200 * 1024) });
    res.end(batchJson);
  },
};

/** Writes JSON-looking bytes until the client goes away (or 64 MB, so a failing test ends). */
function endless(sent: { bytes: number }, contentType = 'application/json'): Answer {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    const chunk = Buffer.from(`${'{"custom_id":"x","result":{"type":"canceled"}}\n'.repeat(1000)}`);
    const pump = () => {
      while (!res.destroyed && sent.bytes < 64 * MB) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  };
}

describe('a hostile or broken server', () => {
  let server: http.Server;
  let url: string;
  let answer: Answer;
  let answered: string[];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      const path = new URL(req.url!, 'http://x').pathname;
      answered.push(`${req.method} ${path}`);
      // The results route needs a batch whose results_url points here.
      if (path === '/v1/messages/batches/msgbatch_h' && req.method === 'GET' && answer === resultsOnly) {
        res.setHeader('content-type', 'application/json');
        res.end(batchJson.replace('"results_url":null', `"results_url":"${url}/v1/messages/batches/msgbatch_h/results"`));
        return;
      }
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    answered = [];
  });
  afterEach(() => server.closeAllConnections());
  after(() => server.close());

  let resultsOnly: Answer = () => undefined;
  const api = (maxAnswerBytes?: number) => new BatchesApi(createClient({ apiKey: 'sk-ant-hostile-test-0000', baseUrl: url, maxRetries: 0, maxAnswerBytes }));
  const failure = async (call: Promise<unknown>): Promise<UserFacingError> => {
    const err = await call.then(
      (value) => assert.fail(`the call succeeded with ${JSON.stringify(value)?.slice(0, 200)}`),
      (e: unknown) => e,
    );
    return describeError(err, { baseUrl: url });
  };
  const streamedCreate = (a: BatchesApi) =>
    submitOnce({
      api: a,
      requestCount: 1,
      send: (x, signal) => x.createFromStream((async function* () { yield Buffer.from('{"requests":[]}'); })(), { signal }),
      isKnownBatch: () => false,
    });
  const calls = (a: BatchesApi) => ({ list: () => a.listPage(), retrieve: () => a.retrieve('msgbatch_h'), cancel: () => a.cancel('msgbatch_h') });

  it('a body cut off mid-answer: the connection broke while the answer arrived', async () => {
    answer = answers.cutOff;
    for (const [name, call] of Object.entries(calls(api()))) {
      const e = await failure(call());
      assert.equal(e.kind, 'connection', `${name}: ${e.message}`);
      assert.match(e.message, /broke while its answer was arriving/, name);
    }
  });

  it('an answer that is not JSON, or not JSON of the expected shape: says so', async () => {
    for (const [which, detail] of [
      ['notJson', /not valid JSON/],
      ['html', /text\/html/],
      ['wrongShape', /not those of/],
    ] as const) {
      answer = answers[which];
      for (const [name, call] of Object.entries(calls(api()))) {
        const e = await failure(call());
        assert.equal(e.kind, 'badResponse', `${which} ${name}: ${e.message}`);
        assert.match(e.message, /answered with something that is not/, `${which} ${name}`);
        assert.match(e.message, detail, `${which} ${name}`);
        assert.match(e.message, /claudeBatches\.baseUrl/);
      }
    }
  });

  it('a batch whose fields would be misused downstream (an id that is a path or an object key, a date that does not parse, a negative count): refused', async () => {
    const batch = JSON.parse(batchJson) as Record<string, unknown>;
    const hostile: Record<string, unknown>[] = [
      { ...batch, id: '__proto__' },
      { ...batch, id: '../../../etc/passwd' },
      { ...batch, id: 'msgbatch_a\nb' },
      { ...batch, id: '' },
      { ...batch, id: 'x'.repeat(500) },
      { ...batch, created_at: 'yesterday' },
      { ...batch, ended_at: 'soon' },
      { ...batch, request_counts: { processing: -1, succeeded: 1, errored: 0, canceled: 0, expired: 0 } },
      { ...batch, request_counts: { processing: 0, succeeded: 1.5, errored: 0, canceled: 0, expired: 0 } },
    ];
    for (const bad of hostile) {
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...bad, data: [bad], has_more: false, first_id: null, last_id: null }));
      };
      for (const [name, call] of Object.entries(calls(api()))) {
        const e = await failure(call());
        assert.equal(e.kind, 'badResponse', `${JSON.stringify(bad).slice(0, 80)} ${name}: ${e.message}`);
      }
    }
    // The real shapes still pass: a well-formed batch lists.
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [batch], has_more: false, first_id: 'msgbatch_h', last_id: 'msgbatch_h' }));
    };
    assert.equal((await api().listPage()).batches.length, 1);
  });

  it('huge headers: refused as a malformed answer, not "cannot reach"', async () => {
    answer = answers.hugeHeaders;
    for (const [name, call] of Object.entries(calls(api()))) {
      const e = await failure(call());
      assert.equal(e.kind, 'badResponse', `${name}: ${e.message}`);
      assert.match(e.message, /headers/);
      assert.doesNotMatch(e.message, /Cannot reach/);
    }
  });

  it('an endless JSON answer: refused past the size limit, having read about that much', async () => {
    for (const [name, call] of Object.entries(calls(api(2 * MB)))) {
      const sent = { bytes: 0 };
      answer = endless(sent);
      const e = await failure(call());
      assert.equal(e.kind, 'badResponse', `${name}: ${e.message}`);
      assert.match(e.message, /over 2\.0 MB/);
      assert.ok(sent.bytes < 24 * MB, `${name}: the server got to send ${sent.bytes} bytes`);
    }
  });

  it('the default limit is generous for the largest real answer (a page of 1000 batches) and still bounded', async () => {
    const page = JSON.stringify({ data: Array.from({ length: 1000 }, () => JSON.parse(batchJson) as unknown), has_more: false, first_id: 'msgbatch_h', last_id: 'msgbatch_h' });
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page);
    };
    assert.equal((await api().listPage({ limit: 1000 })).batches.length, 1000);
    const sent = { bytes: 0 };
    answer = endless(sent);
    assert.equal((await failure(api().listPage())).kind, 'badResponse');
    assert.ok(sent.bytes < 64 * MB, 'the default limit did not stop the endless answer');
  });

  it('a streamed create answered badly is ambiguous (the API had the whole body): the batch is looked for', async () => {
    for (const which of ['cutOff', 'notJson', 'html', 'wrongShape', 'hugeHeaders'] as const) {
      answer = (req, res) => (req.method === 'POST' ? answers[which](req, res) : (res.setHeader('content-type', 'application/json'), res.end('{"data":[],"has_more":false,"first_id":null,"last_id":null}')));
      answered = [];
      const outcome = await streamedCreate(api());
      assert.equal(outcome.kind, 'unknown', `${which}: ${outcome.kind !== 'created' ? outcome.error.message : 'created'}`);
      assert.ok(answered.includes('GET /v1/messages/batches'), `${which}: the batch was not looked for`);
    }
  });

  it('an endless results body is cut at the caller\'s limit, with a clear error', async () => {
    const sent = { bytes: 0 };
    const serveResults = endless(sent, 'application/x-jsonl');
    resultsOnly = serveResults;
    answer = resultsOnly;
    const { body } = await api().resultsBody('msgbatch_h', { maxBytes: 3 * MB });
    let received = 0;
    const err = await (async () => {
      for await (const chunk of body) received += chunk.length;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, 'the endless body was read to its end');
    assert.ok(received <= 3 * MB, `read ${received} bytes`);
    assert.ok(sent.bytes < 24 * MB, `the server got to send ${sent.bytes} bytes`);
    const e = describeError(err, { baseUrl: url });
    assert.equal(e.kind, 'badResponse');
    assert.match(e.message, /over 3\.0 MB/);
  });
});
