import { strict as assert } from 'node:assert';
import { BatchValidator, validateBatchText, type AcceptedLine } from '../../../src/domain/jsonl';
import { request } from './helpers';

/** Accepted lines, warnings, rejected ones and a duplicate: each starts `{"custom_id":`, as a writer's lines do. */
const LINES = [
  request('a', { messages: [{ role: 'user', content: 'Résumé — 東京 😀' }] }),
  request('b', { max_tokens: 0 }),
  request('c', { temperature: 1, top_p: 0.5 }),
  request('bad id é'),
  request('a'),
  request('d', { model: 'claude-opus-4-1', system: 'Ünïcödé' }),
  request('e', { messages: [] }),
];

function pushed(options: { maxDiagnostics?: number; accepted?: AcceptedLine[] }): { result: ReturnType<BatchValidator['finish']>; asked: number; accepted: boolean[] } {
  let asked = 0;
  const validator = new BatchValidator({ maxDiagnostics: options.maxDiagnostics, onRequestLine: options.accepted && ((l) => options.accepted!.push(l)) });
  const accepted = LINES.map((line) =>
    validator.pushRequest(JSON.parse(line) as Record<string, unknown>, Buffer.byteLength(line, 'utf8'), () => {
      asked++;
      return line;
    }),
  );
  return { result: validator.finish(Buffer.byteLength(`${LINES.join('\n')}\n`, 'utf8')), asked, accepted };
}

describe('jsonl validator: requests given as values', () => {
  it('says what the lines themselves would have said, diagnostics, models and accepted lines alike', () => {
    const lines: AcceptedLine[] = [];
    const expected = validateBatchText(`${LINES.join('\n')}\n`, { onRequestLine: (l) => lines.push(l) });
    const accepted: AcceptedLine[] = [];
    const { result, accepted: flags } = pushed({ accepted });
    assert.deepEqual(result, expected);
    assert.deepEqual(accepted, lines);
    assert.deepEqual(flags, LINES.map((_, i) => lines.some((l) => l.line === i + 1)));
    assert.ok(expected.errorCount > 0 && expected.warningCount > 0 && lines.length >= 3, 'the corpus has errors, warnings and accepted lines');
  });

  it('asks for a line text only to place a diagnostic it keeps', () => {
    const none = pushed({ maxDiagnostics: 0 });
    assert.equal(none.asked, 0, 'nothing kept, nothing asked');
    assert.ok(none.result.errorCount > 0 && none.result.truncated, 'problems still counted');
    const all = pushed({});
    assert.equal(all.asked, LINES.filter((_, i) => all.result.diagnostics.some((d) => d.line === i + 1)).length);
  });
});
