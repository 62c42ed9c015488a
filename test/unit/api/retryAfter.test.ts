import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { clampServerDelay, MAX_SERVER_DELAY_MS, serverDelayMs } from '../../../src/api';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 10, 2, 9, 0, 0);

const headers = (values: Record<string, string>) => new Headers(values);

describe('serverDelayMs (retry-after made safe)', () => {
  it('allows at most an hour', () => {
    assert.equal(MAX_SERVER_DELAY_MS, HOUR);
  });

  const cases: [Record<string, string>, number | undefined][] = [
    [{}, undefined],
    [{ 'retry-after': '120' }, 120_000],
    [{ 'retry-after': ' 1.5 ' }, 1_500],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': '1000000000000' }, HOUR],
    [{ 'retry-after-ms': '1000000000000000000000000' }, HOUR],
    [{ 'retry-after': '999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999' }, HOUR],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': 'NaN' }, undefined],
    [{ 'retry-after': 'Infinity' }, undefined],
    [{ 'retry-after': '1e3' }, undefined],
    [{ 'retry-after': '0x10' }, undefined],
    [{ 'retry-after': '+5' }, undefined],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '12 seconds' }, undefined],
    [{ 'retry-after-ms': 'NaN', 'retry-after': '7' }, 7_000],
    [{ 'retry-after-ms': '-1', 'retry-after': '7' }, 7_000],
    [{ 'retry-after': '0' }, 0],
    // HTTP dates: from the local clock when there is no Date header…
    [{ 'retry-after': new Date(NOW + 90_000).toUTCString() }, 90_000],
    [{ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }, 0],
    [{ 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }, HOUR],
    [{ 'retry-after': 'Sunday, 08-Nov-26 09:01:00 GMT' }, HOUR],
    // …and from the server's own Date when it sent one, whatever the local clock says.
    [{ date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'retry-after': 'Mon, 01 Jan 2001 00:00:30 GMT' }, 30_000],
    [{ date: 'Mon, 01 Jan 2001 00:00:30 GMT', 'retry-after': 'Mon, 01 Jan 2001 00:00:00 GMT' }, 0],
    [{ date: 'not a date', 'retry-after': new Date(NOW + 90_000).toUTCString() }, 90_000],
    [{ 'retry-after': 'Mon, 99 Foo 2001 99:99:99 GMT' }, undefined],
  ];
  for (const [given, expected] of cases) {
    it(`${JSON.stringify(given).slice(0, 90)} → ${expected === undefined ? 'ignored' : `${expected} ms`}`, () => {
      assert.equal(serverDelayMs(headers(given), { localNow: NOW }), expected);
    });
  }

  it('applies the caller’s floor to what it accepts, never to what it ignores', () => {
    assert.equal(serverDelayMs(headers({ 'retry-after': '0' }), { localNow: NOW, floorMs: 10_000 }), 10_000);
    assert.equal(serverDelayMs(headers({ 'retry-after': '-3' }), { localNow: NOW, floorMs: 10_000 }), undefined);
  });

  it('clampServerDelay: NaN, negative and non-numbers are no delay; the rest lands in [floor, max]', () => {
    for (const bad of [NaN, -1, -Infinity, '12', null, undefined, {}]) assert.equal(clampServerDelay(bad, 10_000), undefined, String(bad));
    assert.equal(clampServerDelay(0, 10_000), 10_000);
    assert.equal(clampServerDelay(Infinity, 10_000), HOUR);
    assert.equal(clampServerDelay(5_000), 5_000);
    assert.equal(clampServerDelay(5_000, NaN), 5_000, 'a nonsense floor is no floor');
    assert.equal(clampServerDelay(5_000, 1e15), HOUR, 'nor can a floor push past the maximum');
  });

  it('property: whatever the headers say, the delay is undefined or within [floor, max]', () => {
    const text = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.bigInt().map(String),
      fc.nat().map(String),
      fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toUTCString())),
    );
    let checked = 0;
    fc.assert(
      fc.property(
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 0, max: 2 * HOUR }),
        fc.double(),
        (retryAfter, retryAfterMs, date, floorMs, localNow) => {
          const values: Record<string, string> = {};
          if (retryAfter !== undefined) values['retry-after'] = retryAfter;
          if (retryAfterMs !== undefined) values['retry-after-ms'] = retryAfterMs;
          if (date !== undefined) values.date = date;
          let given: Headers;
          try {
            given = headers(values);
          } catch {
            return; // a value no HTTP response could carry
          }
          const delay = serverDelayMs(given, { localNow, floorMs });
          if (delay === undefined) return;
          checked++;
          assert.ok(delay >= Math.min(floorMs, HOUR) && delay <= HOUR, `${delay} ms for ${JSON.stringify(values)}`);
        },
      ),
      { numRuns: 2000 },
    );
    // The property says something only for the headers that gave a delay: many of them must have.
    assert.ok(checked > 200, `only ${checked} of 2000 runs gave a delay`);
  });
});
