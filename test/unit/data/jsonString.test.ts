import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { maxJsonStringBytes, writeJsonString } from '../../../src/domain/data/jsonString';

/** What JSON.stringify writes for `text`, without its quotes, as UTF-8. */
const expected = (text: string) => Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8');

function written(text: string, at = 3): Buffer {
  const buffer = Buffer.alloc(at + maxJsonStringBytes(text) + 8, 0x7e);
  const end = writeJsonString(text, buffer, at);
  assert.ok(end - at <= maxJsonStringBytes(text), 'within the bound it promises');
  assert.ok(buffer.subarray(0, at).every((b) => b === 0x7e), 'nothing written before `at`');
  assert.ok(buffer.subarray(end).every((b) => b === 0x7e), 'nothing written after the end it returns');
  return buffer.subarray(at, end);
}

describe('data: JSON string content written as bytes', () => {
  it('writes exactly what JSON.stringify would, escapes and non-ASCII included', () => {
    for (const text of ['', 'plain', 'say "hi"', 'back\\slash', 'two\nlines\r\n\ttab', '\b\f\u0000\u0001\u001f\u007f', 'café 東京 данные — “q”', 'emoji 😀 pair', '\ufffd stays', '\u2028\u2029', 'lone \ud800 high', 'lone \udc00 low', '\udc00\ud800 reversed', 'end \ud83d', `${'"\n'.repeat(700)}x\u0001`.repeat(3)]) {
      assert.deepEqual(written(text), expected(text), JSON.stringify(text));
    }
  });

  it('matches JSON.stringify for any string, at any offset', () => {
    const unit = fc.constantFrom('"', '\\', '\n', '\r', '\u0001', '\u001f', '\ufffd', '\ud800', '\udc00', '\ud83d\ude00', 'é', '東', 'a', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit })), fc.nat(40), (text, at) => {
        assert.deepEqual(written(text, at), expected(text));
      }),
      { numRuns: 2000 },
    );
  });
});
