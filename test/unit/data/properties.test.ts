import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileTemplate, CustomIdMaker, parseTemplate, type DataRecord } from '../../../src/domain/data';
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
