import { strict as assert } from 'node:assert';
import { validateBatchText, type AcceptedLine } from '../../../src/domain/jsonl';
import { brief, request } from './helpers';

describe('jsonl validator: the file as a whole', () => {
  it('warns about a blank line, skips it and counts it as a line', () => {
    const result = validateBatchText([request('a'), '', '   \t', request('b')].join('\n'));
    assert.deepEqual(brief(result.diagnostics), [
      '2:1 warning blank-line: blank line: it is skipped (not sent); remove it to keep one request per line',
      '3:1 warning blank-line: blank line: it is skipped (not sent); remove it to keep one request per line',
    ]);
    assert.equal(result.lines, 4);
    assert.equal(result.requestCount, 2);
    assert.equal(result.errorCount, 0);
  });

  it('does not count a final newline as a blank line', () => {
    const result = validateBatchText(`${request('a')}\n${request('b')}\n`);
    assert.deepEqual(brief(result.diagnostics), []);
    assert.equal(result.lines, 2);
  });

  it('warns once about a byte-order mark, strips it from what is sent and from columns', () => {
    const sent: AcceptedLine[] = [];
    const result = validateBatchText(`\uFEFF${request('a')}\n{"custom_id":1}`, { onRequestLine: (l) => sent.push(l) });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.line, d.column, d.severity, d.code]),
      [
        [1, 1, 'warning', 'byte-order-mark'],
        [2, 14, 'error', 'custom-id-not-string'],
        [2, 1, 'error', 'missing-params'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number)),
    );
    assert.equal(sent[0].json, request('a'));
    assert.equal(result.byteSize, Buffer.byteLength(`\uFEFF${request('a')}\n{"custom_id":1}`));
  });

  it('columns after a BOM count from the first character after it', () => {
    const result = validateBatchText(`\uFEFF${request('a b')}`);
    const d = result.diagnostics.find((x) => x.code === 'invalid-custom-id');
    assert.equal(d?.column, 14);
  });

  it('warns once about CRLF line endings for the whole file, at the first one, and handles them', () => {
    const sent: AcceptedLine[] = [];
    const lines = [request('a'), request('b'), request('c')];
    const result = validateBatchText(`${lines.join('\r\n')}\r\n`, { onRequestLine: (l) => sent.push(l) });
    assert.deepEqual(brief(result.diagnostics), [
      `1:${lines[0].length + 1} warning crlf-line-endings: the file uses Windows (CRLF) line endings (3 lines): they are handled and not sent, but LF is the JSONL convention`,
    ]);
    assert.deepEqual(
      sent.map((s) => s.json),
      lines,
    );
    assert.equal(result.errorCount, 0);
    assert.equal(result.warningCount, 1);
  });

  it('reports an empty file, or one with only blank lines, as having no requests', () => {
    for (const text of ['', '\n', '  \n\n']) {
      const result = validateBatchText(text);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(brief(errors), ['1:1 error no-requests: the file has no requests: a batch needs at least one line {"custom_id": "…", "params": {…}}'], JSON.stringify(text));
      assert.equal(result.requestCount, 0);
    }
  });

  it('errors past the request limit, at the first line over it', () => {
    const text = Array.from({ length: 6 }, (_, i) => request(`r${i}`)).join('\n');
    const result = validateBatchText(text, { maxRequests: 5 });
    assert.deepEqual(brief(result.diagnostics), ['6:1 error too-many-requests: the file has 6 requests; a batch may have at most 5: split the file (this line is the first one over the limit)']);
    assert.equal(result.errorCount, 1);
  });

  it('warns within 10 % of the request limit', () => {
    const text = Array.from({ length: 9 }, (_, i) => request(`r${i}`)).join('\n');
    assert.deepEqual(brief(validateBatchText(text, { maxRequests: 10 }).diagnostics), ['1:1 warning near-request-limit: the file has 9 requests, close to the limit of 10 per batch']);
    assert.deepEqual(brief(validateBatchText(text, { maxRequests: 11 }).diagnostics), []);
    assert.deepEqual(brief(validateBatchText(text, { maxRequests: 9 }).diagnostics), ['1:1 warning near-request-limit: the file has 9 requests, close to the limit of 9 per batch']);
  });

  it('measures the create body the lines make and errors past the size limit, at the first line over it', () => {
    const lines = [request('a'), request('b'), request('c')];
    const body = `{"requests":[${lines.join(',')}]}`;
    const text = `  ${lines.join('\r\n')}\n\n`;
    const exact = validateBatchText(text, { maxBytes: body.length });
    assert.equal(exact.bodyBytes, Buffer.byteLength(body));
    assert.equal(exact.byteSize, Buffer.byteLength(text));
    assert.ok(!exact.diagnostics.some((d) => d.code === 'batch-too-large'));
    assert.ok(exact.diagnostics.some((d) => d.code === 'near-size-limit'));

    const over = validateBatchText(text, { maxBytes: body.length - 1 });
    const d = over.diagnostics.find((x) => x.code === 'batch-too-large');
    assert.equal(d?.line, 3);
    assert.equal(d?.severity, 'error');
    assert.equal(d?.message, `the batch would be ${body.length} B; the API accepts at most ${body.length - 1} B per batch: split the file (this line is the first one over the limit)`);
  });

  it('warns within 10 % of the size limit', () => {
    const text = request('a');
    const body = text.length + 15;
    const near = validateBatchText(text, { maxBytes: Math.floor(body / 0.95) });
    assert.deepEqual(
      near.diagnostics.map((d) => [d.code, d.severity]),
      [['near-size-limit', 'warning']],
    );
    assert.deepEqual(validateBatchText(text, { maxBytes: body * 2 }).diagnostics, []);
  });

  it('counts multi-byte characters as UTF-8 bytes', () => {
    const line = request('a', { messages: [{ role: 'user', content: 'é東😀' }] });
    const result = validateBatchText(line);
    assert.equal(result.byteSize, Buffer.byteLength(line));
    assert.equal(result.bodyBytes, Buffer.byteLength(line) + 15);
  });

  it('keeps at most maxDiagnostics but counts them all, and keeps file-level ones', () => {
    const text = [...Array.from({ length: 10 }, (_, i) => request(`bad ${i}`)), request('ok')].join('\r\n');
    const result = validateBatchText(text, { maxDiagnostics: 4, maxRequests: 11 });
    assert.equal(result.errorCount, 10);
    assert.equal(result.warningCount, 2); // CRLF and near the request limit
    assert.equal(result.truncated, true);
    assert.equal(result.diagnostics.length, 4);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      // sorted by position: the CRLF warning sits at the end of line 1
      ['near-request-limit', 'invalid-custom-id', 'crlf-line-endings', 'invalid-custom-id'],
    );
  });

  it('is not truncated below the cap', () => {
    const result = validateBatchText(request('bad id'), { maxDiagnostics: 1 });
    assert.equal(result.truncated, false);
    assert.equal(result.diagnostics.length, 1);
  });

  it('reports the line count, including blank and invalid lines', () => {
    const result = validateBatchText(['{', '', request('a'), 'nope'].join('\n'));
    assert.equal(result.lines, 4);
    assert.equal(result.requestCount, 3);
    assert.equal(result.acceptedCount, 1);
  });
});
