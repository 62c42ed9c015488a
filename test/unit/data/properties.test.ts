import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileTemplate, CustomIdMaker, parseTemplate, requestLine, type DataRecord } from '../../../src/domain/data';
import { CUSTOM_ID_PATTERN } from '../../../src/domain/jsonl';

function record(fields: Record<string, unknown>): DataRecord {
  return { kind: 'record', number: 1, line: 2, where: 'line 2', get: (name) => fields[name], columns: () => Object.keys(fields) };
}

/** Strings of any UTF-16 code units, lone surrogates and JSON's own characters included. */
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\u2028', '\ud800', 'a') }));

describe('data: properties', () => {
  it('no data value can change the JSON structure: the request parses to the template with the values as text', () => {
    const template = parseTemplate(JSON.stringify({ params: { model: 'm', max_tokens: 1, system: '{{a}}', messages: [{ role: 'user', content: 'x {{a}} y {{b}}' }], n: 3 } }));
    const render = compileTemplate(template);
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        const params = JSON.parse(render.params(record({ a, b }))) as unknown;
        const wellFormed = (s: string) => JSON.parse(JSON.stringify(s)) as string;
        assert.deepEqual(params, { model: 'm', max_tokens: 1, system: wellFormed(a), messages: [{ role: 'user', content: `x ${wellFormed(a)} y ${wellFormed(b)}` }], n: 3 });
      }),
      { numRuns: 500 },
    );
  });

  it('the request line written as bytes is the line of the params text, and the value checked is what it parses to', () => {
    const template = parseTemplate(JSON.stringify({ params: { model: 'm', max_tokens: -0, big: 1e300, system: '{{a}}', messages: [{ role: 'user', content: [{ type: 'text', text: 'x {{a}} "y" {{b}}\n' }] }], meta: '{{json:j}}', ['__proto__']: { k: '{{b}}' }, '1': 'n' } }));
    const render = compileTemplate(template);
    const json = fc.oneof(fc.json(), fc.constantFrom('1e999', '-0', '{"__proto__":{"a":1}}'));
    fc.assert(
      fc.property(anyText, anyText, json, fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/), fc.nat(30), (a, b, j, id, at) => {
        const r = record({ a, b, j });
        const filled = render.fill(r);
        const buffer = Buffer.alloc(at + render.maxRequestBytes(filled, id));
        const end = render.writeRequest(filled, id, buffer, at);
        const line = requestLine(id, render.params(r));
        assert.equal(buffer.toString('utf8', at, end), line);
        // The same text JSON.stringify writes for the request the template describes.
        const content = [{ type: 'text', text: `x ${a} "y" ${b}\n` }];
        const params = { model: 'm', max_tokens: -0, big: 1e300, system: a, messages: [{ role: 'user', content }], meta: JSON.parse(j) as unknown, ['__proto__']: { k: b }, '1': 'n' };
        assert.equal(line, JSON.stringify({ custom_id: id, params }));
        assert.deepStrictEqual(filled.params, (JSON.parse(line) as { params: unknown }).params);
      }),
      { numRuns: 500 },
    );
  });

  it('a {{json:…}} value is exactly one JSON value, whatever the cell holds', () => {
    const render = compileTemplate(parseTemplate(JSON.stringify({ params: { a: '{{json:v}}', b: 2 } })));
    fc.assert(
      fc.property(fc.oneof(anyText, fc.json()), (v) => {
        let rendered: string;
        try {
          rendered = render.params(record({ v }));
        } catch {
          return; // not JSON: refused
        }
        const parsed = JSON.parse(rendered) as Record<string, unknown>;
        assert.deepEqual(Object.keys(parsed), ['a', 'b']);
        assert.equal(parsed.b, 2);
        assert.deepEqual(parsed.a, JSON.parse(v));
      }),
      { numRuns: 500 },
    );
  });

  it('custom_ids are always valid and unique, and the same for the same data', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, fc.constantFrom('a', 'a-2', 'row-1', '', 'x'.repeat(70))), { maxLength: 60 }), (raws) => {
        const make = () => {
          const maker = new CustomIdMaker();
          return raws.map((raw, i) => maker.make(raw, i + 1));
        };
        const ids = make();
        for (const id of ids) assert.match(id, CUSTOM_ID_PATTERN);
        assert.equal(new Set(ids).size, ids.length);
        assert.deepEqual(make(), ids);
      }),
      { numRuns: 300 },
    );
  });
});
