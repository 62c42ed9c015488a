import { strict as assert } from 'node:assert';
import { findSyntaxError, locate } from '../../../src/domain/jsonl';

describe('jsonLocator', () => {
  describe('findSyntaxError', () => {
    const valid = ['{}', '[]', '{"a":[1,-2.5e+3,true,false,null,"x\\u00e9\\n\\"\\\\"]}', ' {"a" : { "b" : [ ] } } ', '"s"', '0', '-0.1'];
    for (const text of valid) {
      it(`finds nothing wrong in ${text}`, () => {
        JSON.parse(text);
        assert.equal(findSyntaxError(text), undefined);
      });
    }

    const invalid: [string, number, RegExp][] = [
      ['{"a":1,}', 6, /trailing comma before '}'/],
      ['[1,2,]', 4, /trailing comma before '\]'/],
      ['{"a":1', 6, /the line ends inside an object/],
      ['[1', 2, /the line ends inside an array/],
      ['{"messages": [', 14, /the line ends inside an array/],
      ['{"a":', 5, /the line ends inside an object/],
      ['{"a":}', 5, /unexpected '}': a value is missing/],
      ['{"a" 1}', 5, /expected ':' after the property name, found '1'/],
      ['{a:1}', 1, /expected a property name in double quotes, found 'a'/],
      ['{"a":01}', 6, /leading zeros/],
      ['{"a":1.}', 7, /expected a digit after '.'/],
      ['{"a":1e}', 7, /exponent/],
      ['{"a":"\\x"}', 6, /invalid escape '\\x'/],
      ['{"a":"\\u12G4"}', 6, /four hexadecimal digits/],
      ['{"a":tru}', 5, /expected a JSON value/],
      ['{"a":NaN}', 5, /NaN is not a JSON number/],
      ['{"a":1} x', 8, /after the end of the JSON value/],
      ['{"a":1},', 7, /remove the trailing comma/],
      ['{"a":"b"', 8, /the line ends inside an object/],
      ['{"a":"b', 5, /unterminated string/],
      ['{"a":1 "b":2}', 7, /missing ',' between properties/],
      ['[1 2]', 3, /expected ',' or '\]' after an array element, found '2'/],
      ['', 0, /the line ends inside a value/],
      ['{"a":"😀\u0001"}', 8, /raw control character U\+0001/],
    ];
    for (const [text, offset, message] of invalid) {
      it(`finds the problem in ${JSON.stringify(text)} at offset ${offset}`, () => {
        assert.throws(() => JSON.parse(text));
        const problem = findSyntaxError(text);
        assert.equal(problem?.offset, offset);
        assert.match(problem?.message ?? '', message);
      });
    }

    it('handles deep nesting without recursion', () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      assert.equal(findSyntaxError(deep), undefined);
      assert.equal(findSyntaxError(`${deep}]`)?.offset, 200_000);
    });
  });

  describe('locate', () => {
    const text = '{"custom_id": "a", "params": {"model": "m", "messages": [{"role": "user"}, {"role": "bot", "content": "x\\"y"}], "esc\\u0061pe": 1}}';
    const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);

    it('finds keys and values by path', () => {
      assert.equal(slice(locate(text, ['custom_id'], 'value')), '"a"');
      assert.equal(slice(locate(text, ['custom_id'], 'key')), '"custom_id"');
      assert.equal(slice(locate(text, ['params', 'messages', 1, 'role'], 'value')), '"bot"');
      assert.equal(slice(locate(text, ['params', 'messages', 1, 'content'], 'value')), '"x\\"y"');
      assert.equal(slice(locate(text, ['params', 'messages', 0], 'value')), '{"role": "user"}');
      assert.equal(slice(locate(text, ['params', 'messages', 1], 'key')), '{"role": "bot", "content": "x\\"y"}');
    });

    it('matches keys written with escapes', () => {
      assert.equal(slice(locate(text, ['params', 'escape'], 'key')), '"esc\\u0061pe"');
    });

    it('falls back to the deepest part of the path that exists', () => {
      assert.equal(slice(locate(text, ['params', 'max_tokens'], 'key')), '"params"');
      assert.equal(slice(locate(text, ['params', 'messages', 5], 'value')), text.slice(text.indexOf('[{'), text.indexOf('}],') + 2));
    });

    it('takes the last of duplicate keys, as JSON.parse does', () => {
      const dup = '{"a": 1, "a": 2}';
      const span = locate(dup, ['a'], 'value');
      assert.equal(dup.slice(span.start, span.end), '2');
    });

    it('returns the whole value for an empty path', () => {
      assert.deepEqual(locate('  {"a":1}  ', [], 'value'), { start: 2, end: 9 });
    });
  });
});
