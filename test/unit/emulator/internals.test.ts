import { strict as assert } from 'node:assert';
import { matchRoute, startEmulator } from '../../emulator';
import { derivedId, shuffledIndices } from '../../emulator/ids';
import { findMarker, planRequest, textOf } from '../../emulator/outcomes';
import { paramsProblem, validateRequests } from '../../emulator/validation';
import { parseCliArgs } from '../../emulator/cli';

describe('emulator internals', () => {
  it('matches the six routes and nothing else', () => {
    assert.deepEqual(matchRoute('POST', '/v1/messages/batches'), { route: 'create' });
    assert.deepEqual(matchRoute('GET', '/v1/messages/batches'), { route: 'list' });
    assert.deepEqual(matchRoute('GET', '/v1/messages/batches/msgbatch_1'), { route: 'retrieve', id: 'msgbatch_1' });
    assert.deepEqual(matchRoute('DELETE', '/v1/messages/batches/msgbatch_1'), { route: 'delete', id: 'msgbatch_1' });
    assert.deepEqual(matchRoute('POST', '/v1/messages/batches/msgbatch_1/cancel'), { route: 'cancel', id: 'msgbatch_1' });
    assert.deepEqual(matchRoute('GET', '/v1/messages/batches/msgbatch_1/results'), { route: 'results', id: 'msgbatch_1' });
    assert.equal(matchRoute('GET', '/v1/messages/batches/msgbatch_1/cancel'), null);
    assert.equal(matchRoute('PATCH', '/v1/messages/batches/msgbatch_1'), null);
    assert.equal(matchRoute('GET', '/v1/messages'), null);
    assert.equal(matchRoute('GET', '/v1/messages/batches/%E0%A4%A'), null);
  });

  it('derives stable ids and shuffles into a stable permutation', () => {
    assert.equal(derivedId('msgbatch_', 1, 'batch', 1), derivedId('msgbatch_', 1, 'batch', 1));
    assert.notEqual(derivedId('msgbatch_', 1, 'batch', 1), derivedId('msgbatch_', 2, 'batch', 1));
    assert.match(derivedId('req_', 'x'), /^req_01[0-9A-Za-z]{22}$/);
    const order = shuffledIndices(1000, 42);
    assert.deepEqual(order, shuffledIndices(1000, 42));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.notDeepEqual([...order], [...shuffledIndices(1000, 43)]);
    assert.deepEqual([...shuffledIndices(1, 5)], [0]);
    assert.deepEqual([...shuffledIndices(0, 5)], []);
  });

  it('reads text from strings and blocks, and finds markers anywhere in messages', () => {
    assert.equal(textOf('plain'), 'plain');
    assert.equal(textOf([{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'tool_result', content: 'b' }]), 'a\nb');
    assert.equal(textOf(undefined), '');
    assert.equal(findMarker([{ role: 'user', content: 'x' }]), null);
    assert.equal(findMarker([{ role: 'user', content: [{ type: 'tool_use', input: { q: '[[emulator:expired]]' } }] }]), 'expired');
    assert.equal(findMarker([{ role: 'user', content: '[[emulator:api_error]] then [[emulator:canceled]]' }]), 'api_error');
    assert.equal(findMarker([{ role: 'user', content: '[[emulator:unknown]]' }]), null);
  });

  it('gives params problems precedence over markers and forced outcomes over markers', () => {
    const params = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: '[[emulator:api_error]]' }] };
    assert.equal(planRequest('a', params, '2026-10-21').et, 'api_error');
    assert.equal(planRequest('a', params, '2026-10-21', 'canceled').k, 'c');
    assert.equal(planRequest('a', { ...params, max_tokens: 0 }, '2026-10-21').et, 'invalid_request_error');
    assert.equal(paramsProblem({ ...params, messages: [{ role: 'system', content: 'x' }] }), "messages.0.role: Input should be 'user' or 'assistant'");
    assert.equal(paramsProblem({ ...params, stream: false }), null);
    assert.equal(paramsProblem({ ...params, temperature: 1 }, '2023-06-01'), null);
  });

  it('validates requests with the limit it is given', () => {
    const req = (id: string): { custom_id: string; params: object } => ({ custom_id: id, params: {} });
    assert.equal(validateRequests([req('a'), req('b')], 2).length, 2);
    assert.throws(() => validateRequests([req('a'), req('b'), req('c')], 2), /at most 2 items/);
  });

  it('refuses a bad timing at start', async () => {
    await assert.rejects(startEmulator({ timing: { perRequestMs: 0 } }), /invalid timing/);
    await assert.rejects(startEmulator({ apiKey: '' }), /apiKey/);
  });

  it('parses cli options', () => {
    assert.deepEqual(parseCliArgs(['--port', '8123', '--timing', '250', '--state', '/tmp/s.json', '--sample']), {
      options: { port: 8123, apiKey: 'sk-ant-emulator', timing: { perRequestMs: 250 }, statePath: '/tmp/s.json' },
      sample: true,
    });
    assert.equal(parseCliArgs(['--timing', 'manual']).options.timing, 'manual');
    assert.throws(() => parseCliArgs(['--timing', 'slow']), /--timing/);
    assert.throws(() => parseCliArgs(['--port']), /--port/);
  });
});
