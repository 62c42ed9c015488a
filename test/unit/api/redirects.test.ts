import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchesApi, createClient, describeError } from '../../../src/api';
import { submitOnce } from '../../../src/domain/submission';
import { batchObject } from '../results/helpers';

// Redirects never carry the API key to another origin. The decision: a redirect to another
// origin is never followed (whatever the method, whatever the path: SDK calls, streamed uploads,
// results downloads); a redirect within the API's origin is followed for reads only (GET/HEAD),
// at most 5 in a row; anything else is reported, not followed.

const KEY = 'sk-ant-redirect-test-key-0123456789';

const batch = (origin: string) => batchObject('msgbatch_r', { succeeded: 1 }, origin);

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('redirects', () => {
  let decoy: { url: string; server: http.Server };
  let decoySeen: Seen[];
  let api: { url: string; server: http.Server };
  let apiSeen: Seen[];
  /** How the fake API answers each path; default: the batch as JSON. */
  let routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;

  beforeEach(async () => {
    decoySeen = [];
    apiSeen = [];
    routes = {};
    decoy = await listen((req, res) => {
      decoySeen.push({ method: req.method!, path: req.url!, headers: req.headers });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null, ...batch('') }));
    });
    api = await listen((req, res) => {
      apiSeen.push({ method: req.method!, path: req.url!, headers: req.headers });
      const path = new URL(req.url!, 'http://x').pathname;
      req.resume();
      const route = routes[`${req.method} ${path}`];
      if (route) return route(req, res);
      res.setHeader('content-type', 'application/json');
      if (path === '/v1/messages/batches' && req.method === 'GET') {
        res.end(JSON.stringify({ data: [batch(api.url)], has_more: false, first_id: 'msgbatch_r', last_id: 'msgbatch_r' }));
      } else if (path.endsWith('/results')) {
        res.setHeader('content-type', 'application/x-jsonl');
        res.end('{"custom_id":"a","result":{"type":"canceled"}}\n');
      } else {
        res.end(JSON.stringify(batch(api.url)));
      }
    });
  });
  afterEach(() => {
    decoy.server.closeAllConnections();
    decoy.server.close();
    api.server.closeAllConnections();
    api.server.close();
  });

  const redirect = (status: number, to: () => string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { location: to(), 'content-type': 'text/html' });
    res.end('<a href="elsewhere">moved</a>');
  };
  const client = () => new BatchesApi(createClient({ apiKey: KEY, baseUrl: api.url, maxRetries: 0 }));
  const assertRefused = (err: unknown) => {
    const described = describeError(err, { baseUrl: api.url });
    assert.equal(described.kind, 'redirect', described.message);
    assert.match(described.message, /redirect/);
    assert.match(described.message, /not followed/);
    assert.doesNotMatch(described.message, /sk-ant-redirect/);
    return true;
  };
  const assertDecoyUntouched = () => {
    assert.deepEqual(decoySeen, [], 'the other origin received a request');
  };

  it('a list answered with 302 to another origin: refused, the other origin gets nothing', async () => {
    routes['GET /v1/messages/batches'] = redirect(302, () => `${decoy.url}/v1/messages/batches`);
    await assert.rejects(client().listPage(), assertRefused);
    assertDecoyUntouched();
  });

  it('not retried either: the redirect is an answer, not a transient failure', async () => {
    routes['GET /v1/messages/batches'] = redirect(302, () => `${decoy.url}/v1/messages/batches`);
    const retrying = new BatchesApi(createClient({ apiKey: KEY, baseUrl: api.url, maxRetries: 2 }));
    await assert.rejects(retrying.listPage(), assertRefused);
    assert.equal(apiSeen.length, 1);
    assertDecoyUntouched();
  });

  it('a results download redirected to another origin (raw body and the SDK decoder): refused', async () => {
    routes['GET /v1/messages/batches/msgbatch_r/results'] = redirect(307, () => `${decoy.url}/results.jsonl`);
    await assert.rejects(client().resultsBody('msgbatch_r'), assertRefused);
    await assert.rejects(
      (async () => {
        const { results } = await client().results('msgbatch_r');
        for await (const _ of results) void _;
      })(),
      assertRefused,
    );
    assertDecoyUntouched();
  });

  it('a streamed create answered with 307 to another origin: refused, not submitted, the body is not sent there', async () => {
    routes['POST /v1/messages/batches'] = redirect(307, () => `${decoy.url}/v1/messages/batches`);
    const outcome = await submitOnce({
      api: client(),
      requestCount: 1,
      send: (a, signal) => a.createFromStream((async function* () { yield Buffer.from('{"requests":[]}'); })(), { signal }),
      isKnownBatch: () => false,
    });
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.error.kind, 'redirect');
    assert.match(outcome.error.message, /not followed/);
    assertDecoyUntouched();
  });

  it('a same-origin redirect is followed for a read, with the key staying on the origin', async () => {
    routes['GET /v1/messages/batches/msgbatch_old'] = redirect(301, () => '/v1/messages/batches/msgbatch_r');
    const got = await client().retrieve('msgbatch_old');
    assert.equal(got.id, 'msgbatch_r');
    assert.deepEqual(
      apiSeen.map((s) => s.path),
      ['/v1/messages/batches/msgbatch_old', '/v1/messages/batches/msgbatch_r'],
    );
    assertDecoyUntouched();
  });

  it('a same-origin redirect that goes on and on stops after 5', async () => {
    let hop = 0;
    routes['GET /v1/messages/batches/msgbatch_loop'] = redirect(302, () => `/v1/messages/batches/msgbatch_loop?hop=${++hop}`);
    await assert.rejects(client().retrieve('msgbatch_loop'), assertRefused);
    assert.equal(apiSeen.length, 6);
  });

  it('a same-origin redirect of a write (cancel) is not followed: the write is not replayed', async () => {
    routes['POST /v1/messages/batches/msgbatch_r/cancel'] = redirect(307, () => '/v1/messages/batches/msgbatch_other/cancel');
    await assert.rejects(client().cancel('msgbatch_r'), assertRefused);
    assert.equal(apiSeen.length, 1);
  });
});
