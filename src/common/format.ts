// How numbers, sizes, money, durations, dates and times read to a person: one definition each,
// in one locale. The VS Code layer sets that locale once from the display language
// (setFormatLocale); everything else formats through here, so a translation later changes one
// place. Until it is set, and wherever Intl does not know the language, numbers read as in
// en-US, which also keeps tests deterministic.
//
// Numbers come from servers and files: whatever they hold (NaN, Infinity, negatives), these
// functions return text, never throw, and never print "NaN" or "Infinity".
//
// A leaf: this module imports nothing, so every layer may use it, src/api's error wording
// included. dist/results.js holds its own copy of it (see src/vscode/results/resultsModule.ts,
// which hands that copy the locale).

const DEFAULT_LOCALE = 'en-US';
/** What a number that cannot be shown reads as. */
const UNKNOWN = '—';
const KB = 1024;
const MB = 1024 * 1024;

/** The locale asked for, checked against Intl when first used (Intl's first call costs ~10 ms). */
let requested: string | undefined;
let current: string | undefined = DEFAULT_LOCALE;

/**
 * Sets the locale every formatter uses when none is given: a BCP 47 tag such as VS Code's
 * `vscode.env.language` (`en`, `de`, `pt-br`). One Intl does not know, or no tag, means en-US.
 */
export function setFormatLocale(locale: string | undefined): void {
  requested = locale;
  current = undefined;
}

/** The locale the formatters use when none is given. */
export function formatLocale(): string {
  return (current ??= supported(requested) ?? DEFAULT_LOCALE);
}

/** 1234 → `1,234` (en-US), `1.234` (de-DE). A count is never negative: below 0 reads as 0. */
export function formatCount(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return UNKNOWN;
  return numberFormat(locale, 'count').format(Math.max(0, n));
}

/** `512 B`, `1.5 KB`, `12.3 MB` (binary units, one decimal, no grouping). Below 0 reads as 0 B. */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes)) return UNKNOWN;
  const n = Math.max(0, bytes);
  if (n < KB) return `${numberFormat(locale, 'bytes').format(n)} B`;
  if (n < MB) return `${numberFormat(locale, 'size').format(n / KB)} KB`;
  return `${numberFormat(locale, 'size').format(n / MB)} MB`;
}

/** Dollars: `$4.10`, `$1,234.56`, `-$2.00`, `<$0.01` for a positive amount under a cent. */
export function formatUsd(amount: number, locale?: string): string {
  if (!Number.isFinite(amount)) return UNKNOWN;
  const usd = numberFormat(locale, 'usd');
  if (amount > 0 && amount < 0.005) return `<${usd.format(0.01)}`;
  const rounded = Math.round(amount * 100) / 100;
  if (!Number.isFinite(rounded)) return UNKNOWN;
  // `|| 0`: a negative amount that rounds to nothing reads as $0.00, not -$0.00.
  return usd.format(rounded || 0);
}

/** 45s, 12m, 3h 5m, 2d 4h. Negative durations read as 0s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return UNKNOWN;
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** An instant from the API, to the minute and in UTC, the same on every machine: `2025-03-04 05:06 UTC`. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  // not translated: an ISO date and the time zone's name read the same in every language
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A time of day on this machine's clock, 24-hour: `14:05:09`. */
export function formatTime(at: number, locale?: string): string {
  if (!Number.isFinite(at) || Number.isNaN(new Date(at).getTime())) return UNKNOWN;
  return timeFormat(locale).format(at);
}

// ---- Intl, created on first use (creating one costs milliseconds) and kept per locale ----

type NumberStyle = 'count' | 'bytes' | 'size' | 'usd';

const NUMBER_OPTIONS: Record<NumberStyle, Intl.NumberFormatOptions> = {
  count: {},
  bytes: { useGrouping: false, maximumFractionDigits: 0 },
  size: { useGrouping: false, minimumFractionDigits: 1, maximumFractionDigits: 1 },
  usd: { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 },
};

const numberFormats = new Map<string, Intl.NumberFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const supportedTags = new Map<string, string | undefined>();

function numberFormat(locale: string | undefined, style: NumberStyle): Intl.NumberFormat {
  const tag = resolve(locale);
  const key = `${style} ${tag}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(tag, NUMBER_OPTIONS[style])));
  return format;
}

function timeFormat(locale: string | undefined): Intl.DateTimeFormat {
  const tag = resolve(locale);
  let format = timeFormats.get(tag);
  if (!format) timeFormats.set(tag, (format = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })));
  return format;
}

const resolve = (locale: string | undefined): string => (locale === undefined ? formatLocale() : (supported(locale) ?? DEFAULT_LOCALE));

/** The tag as Intl spells it when Intl has the language; undefined for none, a malformed tag or an unknown language. */
function supported(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  if (!supportedTags.has(locale)) {
    let tag: string | undefined;
    try {
      tag = Intl.NumberFormat.supportedLocalesOf(locale)[0];
    } catch {
      tag = undefined; // not a well-formed tag
    }
    supportedTags.set(locale, tag);
  }
  return supportedTags.get(locale);
}
