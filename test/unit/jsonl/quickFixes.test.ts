import { strict as assert } from 'node:assert';
import { fixDuplicateCustomId, fixInvalidCustomId, fixMissingCustomId, uniqueCustomId, validateBatchText } from '../../../src/domain/jsonl';

const PARAMS = '"params":{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[{"role":"user","content":"Hi 😀"}]}';

describe('jsonl quick fixes', () => {
  describe('fixMissingCustomId', () => {
    it('inserts request-<line> as the first key and keeps the rest byte-identical', () => {
      const line = `{${PARAMS}}`;
      const fixed = fixMissingCustomId(line, new Set(), 7);
      assert.equal(fixed, `{"custom_id":"request-7",${PARAMS}}`);
      assert.equal(validateBatchText(fixed ?? '').errorCount, 0);
    });

    it("follows the line's spacing", () => {
      const spaced = '{ "params": {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]} }';
      assert.equal(fixMissingCustomId(spaced, new Set(), 2), '{ "custom_id": "request-2", "params": {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]} }');
    });

    it('keeps a BOM, indentation and a CR where they are', () => {
      assert.equal(fixMissingCustomId(`\uFEFF  {${PARAMS}}\r`, new Set(), 1), `\uFEFF  {"custom_id":"request-1",${PARAMS}}\r`);
    });

    it('makes the id unique against the ids in use', () => {
      assert.equal(fixMissingCustomId(`{${PARAMS}}`, new Set(['request-3', 'request-3-2']), 3), `{"custom_id":"request-3-3",${PARAMS}}`);
    });

    it('fills an empty object', () => {
      assert.equal(fixMissingCustomId('{}', new Set(), 4), '{"custom_id": "request-4"}');
    });

    it('does not apply to invalid JSON, non-objects or lines that have a custom_id', () => {
      assert.equal(fixMissingCustomId('{"params":', new Set(), 1), undefined);
      assert.equal(fixMissingCustomId('[1]', new Set(), 1), undefined);
      assert.equal(fixMissingCustomId(`{"custom_id":5,${PARAMS}}`, new Set(), 1), undefined);
    });
  });

  describe('fixDuplicateCustomId', () => {
    it('appends -2, then -3, … whichever is free', () => {
      const line = `{"custom_id":"dup",${PARAMS}}`;
      assert.equal(fixDuplicateCustomId(line, new Set(['dup'])), `{"custom_id":"dup-2",${PARAMS}}`);
      assert.equal(fixDuplicateCustomId(line, new Set(['dup', 'dup-2'])), `{"custom_id":"dup-3",${PARAMS}}`);
    });

    it('keeps the id within 64 characters', () => {
      const id = 'a'.repeat(64);
      const fixed = fixDuplicateCustomId(`{"custom_id":"${id}",${PARAMS}}`, new Set([id]));
      assert.equal(fixed, `{"custom_id":"${'a'.repeat(62)}-2",${PARAMS}}`);
      const manyTaken = new Set([id, ...Array.from({ length: 9 }, (_, i) => `${'a'.repeat(62)}-${i + 2}`)]);
      assert.equal(fixDuplicateCustomId(`{"custom_id":"${id}",${PARAMS}}`, manyTaken), `{"custom_id":"${'a'.repeat(61)}-10",${PARAMS}}`);
    });

    it('finds the id wherever it is in the line, with any spacing', () => {
      const line = `  {${PARAMS}, "custom_id" :  "late"}  `;
      assert.equal(fixDuplicateCustomId(line, new Set(['late'])), `  {${PARAMS}, "custom_id" :  "late-2"}  `);
    });

    it('does not apply to invalid ids or lines without one', () => {
      assert.equal(fixDuplicateCustomId(`{"custom_id":"a b",${PARAMS}}`, new Set(['a b'])), undefined);
      assert.equal(fixDuplicateCustomId(`{${PARAMS}}`, new Set()), undefined);
    });
  });

  describe('fixInvalidCustomId', () => {
    it('replaces characters that are not allowed and cuts to 64', () => {
      assert.equal(fixInvalidCustomId(`{"custom_id":"a b/c",${PARAMS}}`, new Set(), 1), `{"custom_id":"a_b_c",${PARAMS}}`);
      const long = 'x'.repeat(70);
      assert.equal(fixInvalidCustomId(`{"custom_id":"${long}",${PARAMS}}`, new Set(), 1), `{"custom_id":"${'x'.repeat(64)}",${PARAMS}}`);
      assert.equal(fixInvalidCustomId(`{"custom_id":"",${PARAMS}}`, new Set(['request-9']), 9), `{"custom_id":"request-9-2",${PARAMS}}`);
    });

    it('does not apply to valid ids', () => {
      assert.equal(fixInvalidCustomId(`{"custom_id":"ok",${PARAMS}}`, new Set(), 1), undefined);
    });
  });

  it('uniqueCustomId returns the base when free', () => {
    assert.equal(uniqueCustomId('free', new Set(['other'])), 'free');
  });
});
