import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { BatchesApi, checkApiKey, createClient, describeError, redactSecrets, resolveApiKey } from '../../../src/api';
import { startEmulator } from '../../emulator';
import { redactKnownSecrets as redactKnown, rememberSecret as remember } from '../../../src/api/secrets';

const BODY = 'api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz';
const KEY = `sk-ant-${BODY}`;
/** Fragments of the key that must never survive redaction. */
const pieces = (key: string) => key.split(/[\s\0]+/).flatMap((part) => (part.length >= 12 ? [part.slice(0, 12), part.slice(-12)] : []));
const assertNoKey = (text: string, key: string) => {
  for (const piece of pieces(key)) assert.ok(!text.includes(piece), `"${piece}" survived in: ${JSON.stringify(text)}`);
};

describe('redactSecrets', () => {
  it('removes a key however it is cut: trailing CR/LF, NUL, a line break inside', () => {
    for (const key of [`${KEY}\r\n`, `${KEY}\n`, `${KEY.slice(0, 30)}\n${KEY.slice(30)}`, `${KEY.slice(0, 30)}\r${KEY.slice(30)}`, `${KEY.slice(0, 30)}\0${KEY.slice(30)}`]) {
      const texts = [
        `Headers.append: "Bearer ${key}" is an invalid header value.`,
        `Headers.append: "Bearer ${key.trim()}" is an invalid header value.`,
        // Escaped, as in JSON or util.inspect output.
        `value ${JSON.stringify(key)} rejected`,
        // Line endings rewritten on the way (CRLF ↔ LF), or a NUL dropped.
        `x ${key.replace(/\n/g, '\r\n')} y`,
        `x ${key.replace(/\0/g, '')} y`,
      ];
      for (const text of texts) {
        const out = redactSecrets(text, [key]);
        assertNoKey(out, key);
        assert.match(out, /\[redacted\]/);
      }
    }
  });

  it('removes a key that the text splits across lines though the key has no break', () => {
    const text = `the key was\n${KEY.slice(0, 40)}\r\n${KEY.slice(40)}\nend`;
    const out = redactSecrets(text, [KEY]);
    assertNoKey(out, KEY);
    assert.match(out, /^the key was\n\[redacted\]\nend$/);
  });

  it('removes anything shaped like an Anthropic key, known or not', () => {
    assert.equal(redactSecrets('key sk-ant-api03-unknown_KEY-123 here', []), 'key sk-ant-… here');
  });

  it('leaves other text alone, and ignores secrets too short to be keys', () => {
    assert.equal(redactSecrets('Cannot reach the Anthropic API at api.anthropic.com.', [KEY, 'a', '  \n']), 'Cannot reach the Anthropic API at api.anthropic.com.');
  });

  it('property: no 12-character piece of a key with stray whitespace or control characters survives', () => {
    const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-');
    const stray = fc.constantFrom('\r', '\n', '\0', '\t', ' ', '\r\n');
    const keyArb = fc
      .tuple(fc.array(keyChar, { minLength: 40, maxLength: 100 }), fc.array(fc.tuple(fc.nat(), stray), { maxLength: 3 }))
      .map(([chars, strays]) => {
        const out = [...chars];
        for (const [at, s] of strays) out.splice(at % (out.length + 1), 0, s);
        return `sk-ant-${out.join('')}`;
      });
    const form = fc.constantFrom<(k: string) => string>(
      (k) => k,
      (k) => JSON.stringify(k),
      (k) => k.replace(/\n/g, '\r\n'),
      (k) => k.replace(/[\s\0]/g, ''),
    );
    fc.assert(
      fc.property(keyArb, form, fc.string(), fc.string(), (key, shape, before, after) => {
        assertNoKey(redactSecrets(`${before}${shape(key)}${after}`, [key]), key);
      }),
      { numRuns: 150 },
    );
  });
});

describe('describeError never shows the key', () => {
  it('the HTTP client\'s own message quoting a key with a line break inside is redacted', async () => {
    const emulator = await startEmulator();
    try {
      const key = `${KEY.slice(0, 30)}\n${KEY.slice(30)}-describe`;
      const api = new BatchesApi(createClient({ apiKey: key, baseUrl: emulator.url, maxRetries: 0 }));
      const err = await api.listPage().catch((e: unknown) => e);
      const described = describeError(err, { action: 'Listing batches' });
      assertNoKey(described.message, key);
      assert.equal(emulator.requests.length, 0, 'a request went out with that key');
    } finally {
      await emulator.close();
    }
  });
});

describe('checkApiKey', () => {
  it('trims whitespace and control characters around the key (a file read with $(cat), a CRLF)', () => {
    for (const raw of [`${KEY}\n`, `${KEY}\r\n`, `  ${KEY}\t`, `${KEY}\0`, `\uFEFF${KEY}`]) {
      assert.deepEqual(checkApiKey(raw), { ok: true, key: KEY }, JSON.stringify(raw));
    }
  });

  it('refuses a key with whitespace or a control character inside, saying where and never what', () => {
    const cases: [string, RegExp][] = [
      [`${KEY.slice(0, 30)}\n${KEY.slice(30)}`, /line break inside it \(character 31\)/],
      [`${KEY.slice(0, 30)}\r${KEY.slice(30)}`, /line break inside it/],
      [`${KEY.slice(0, 30)}\0${KEY.slice(30)}`, /control character inside it/],
      [`${KEY.slice(0, 30)} ${KEY.slice(30)}`, /space inside it/],
      [`${KEY.slice(0, 30)}é${KEY.slice(30)}`, /character no API key has/],
    ];
    for (const [raw, problem] of cases) {
      const checked = checkApiKey(raw);
      assert.equal(checked.ok, false, JSON.stringify(raw));
      if (checked.ok) continue;
      assert.match(checked.problem, problem);
      assertNoKey(checked.problem, raw);
    }
  });

  it('refuses an empty key', () => {
    const checked = checkApiKey(' \r\n');
    assert.equal(checked.ok, false);
    assert.match(!checked.ok ? checked.problem : '', /empty/);
  });
});

describe('resolveApiKey (secret storage first, then ANTHROPIC_API_KEY)', () => {
  it('trims a key read from ANTHROPIC_API_KEY with a trailing CR/LF', () => {
    assert.deepEqual(resolveApiKey(undefined, `${KEY}\r\n`), { key: KEY, source: 'environment' });
  });

  it('refuses one with a line break inside, naming the variable, and does not fall back to anything', () => {
    const resolved = resolveApiKey(undefined, `${KEY.slice(0, 30)}\n${KEY.slice(30)}`);
    assert.equal(resolved.key, undefined);
    assert.equal(resolved.source, 'environment');
    assert.match(resolved.problem ?? '', /^The API key in ANTHROPIC_API_KEY has a line break inside it/);
    assertNoKey(resolved.problem ?? '', KEY);
  });

  it('a stored key wins, and a bad stored key is refused rather than replaced by the environment\'s', () => {
    assert.deepEqual(resolveApiKey(` ${KEY} `, 'sk-ant-other-key-123456'), { key: KEY, source: 'secretStorage' });
    const bad = resolveApiKey(`${KEY}\0x`, 'sk-ant-other-key-123456');
    assert.equal(bad.key, undefined);
    assert.match(bad.problem ?? '', /^The stored API key has a control character inside it/);
  });

  it('an empty or blank variable is no key at all', () => {
    assert.deepEqual(resolveApiKey(undefined, ' \n'), { key: undefined, source: 'none' });
    assert.deepEqual(resolveApiKey(undefined, undefined), { key: undefined, source: 'none' });
  });
  it('remembers a bounded number of keys, the most recent ones', () => {
    const keys = Array.from({ length: 20 }, (_, i) => `custom-secret-${String(i).padStart(2, '0')}-abcdefghijklmnop`);
    for (const key of keys) remember(key);
    assert.equal(redactKnown(`x ${keys[19]} y`), 'x [redacted] y');
    assert.equal(redactKnown(`x ${keys[4]} y`), 'x [redacted] y', 'the 16 most recent are kept');
    assert.equal(redactKnown(`x ${keys[0]} y`), `x ${keys[0]} y`, 'the oldest was let go: the set does not grow without end');
  });
});
