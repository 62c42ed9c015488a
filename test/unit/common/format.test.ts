import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { formatBytes, formatCount, formatDate, formatDuration, formatLocale, formatTime, formatUsd, setFormatLocale } from '../../../src/common/format';

describe('format: numbers, sizes, money, durations and dates as a person reads them', () => {
  afterEach(() => setFormatLocale(undefined));

  it('setting the locale at activation asks Intl nothing: it is checked at the first number formatted', () => {
    const original = Intl.NumberFormat.supportedLocalesOf;
    let asked = 0;
    Intl.NumberFormat.supportedLocalesOf = (...args: Parameters<typeof original>) => {
      asked++;
      return original(...args);
    };
    try {
      setFormatLocale('fr-CH');
      assert.equal(asked, 0, 'Intl was asked at activation');
      assert.equal(formatLocale(), 'fr-CH');
      assert.equal(asked, 1);
    } finally {
      Intl.NumberFormat.supportedLocalesOf = original;
    }
  });

  it('counts group thousands in the default locale, en-US', () => {
    assert.equal(formatLocale(), 'en-US');
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(1234), '1,234');
    assert.equal(formatCount(1_234_567), '1,234,567');
  });

  it('follows the locale set once, and the locale given to one call', () => {
    assert.equal(formatCount(1234, 'de-DE'), '1.234');
    assert.equal(formatCount(1234), '1,234', 'a locale given to one call is not kept');
    setFormatLocale('de-DE');
    assert.equal(formatLocale(), 'de-DE');
    assert.equal(formatCount(1234), '1.234');
    assert.equal(formatBytes(1536), '1,5 KB');
    assert.equal(formatUsd(1234.5), '1.234,50\u00a0$');
    assert.equal(formatCount(1234, 'en-US'), '1,234');
  });

  it('falls back to en-US for a locale Intl does not know or cannot parse', () => {
    for (const tag of ['', 'not a locale!', 'qq-ZZ-x', undefined]) {
      setFormatLocale(tag);
      assert.equal(formatLocale(), 'en-US', `setFormatLocale(${JSON.stringify(tag)})`);
      assert.equal(formatCount(1234), '1,234');
    }
    assert.equal(formatCount(1234, 'not a locale!'), '1,234');
  });

  it('takes the language VS Code reports, e.g. "de" or "pt-br"', () => {
    setFormatLocale('de');
    assert.equal(formatCount(1234), '1.234');
    setFormatLocale('pt-br');
    assert.equal(formatCount(1234), '1.234');
  });

  it('sizes: B under 1 KB, one decimal above', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KB');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(1.5 * 1024 * 1024), '1.5 MB');
    assert.equal(formatBytes(256 * 1024 * 1024), '256.0 MB');
    assert.equal(formatBytes(5000 * 1024 * 1024), '5000.0 MB', 'no grouping: the text is the one shown before');
  });

  it('money: two decimals, under a cent as <$0.01', () => {
    assert.equal(formatUsd(4.1), '$4.10');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(-0.004), '$0.00', 'no -$0.00');
    assert.equal(formatUsd(0.004), '<$0.01');
    assert.equal(formatUsd(0.005), '$0.01');
    assert.equal(formatUsd(1234.567), '$1,234.57');
    assert.equal(formatUsd(-2), '-$2.00');
  });

  it('durations: 45s, 12m, 3h 5m, 2d 2h; negative reads as 0s', () => {
    assert.equal(formatDuration(45_000), '45s');
    assert.equal(formatDuration(12 * 60_000), '12m');
    assert.equal(formatDuration(3 * 3600_000 + 5 * 60_000), '3h 5m');
    assert.equal(formatDuration(50 * 3600_000), '2d 2h');
    assert.equal(formatDuration(-5), '0s');
  });

  it('dates in UTC to the minute; times of day on a 24-hour clock', () => {
    assert.equal(formatDate('2025-03-04T05:06:07Z'), '2025-03-04 05:06 UTC');
    const at = new Date(2025, 2, 4, 14, 5, 9).getTime();
    assert.equal(formatTime(at), '14:05:09');
    assert.equal(formatTime(new Date(2025, 2, 4, 0, 0, 1).getTime()), '00:00:01');
  });

  it('numbers from a server or a file never throw and never read NaN or Infinity', () => {
    const shown = (text: string) => !/NaN|Infinity|∞/.test(text) && text.length > 0;
    const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, Number.MAX_VALUE, -Number.MAX_VALUE));
    const locale = fc.constantFrom('en-US', 'de-DE', 'fr-FR', 'ar-EG', 'not a locale!');
    fc.assert(
      fc.property(anyNumber, locale, (n, tag) => {
        setFormatLocale(tag);
        for (const text of [formatCount(n), formatBytes(n), formatUsd(n), formatDuration(n), formatTime(n), formatDate(String(n))]) assert.ok(shown(text), `${n} in ${tag} reads ${text}`);
      }),
    );
    setFormatLocale(undefined);
    assert.equal(formatCount(NaN), '—');
    assert.equal(formatCount(-3), '0', 'a count is never negative');
    assert.equal(formatBytes(Infinity), '—');
    assert.equal(formatBytes(-1), '0 B');
    assert.equal(formatUsd(NaN), '—');
    assert.equal(formatDate('not a date'), '—');
    assert.equal(formatTime(NaN), '—');
  });
});
