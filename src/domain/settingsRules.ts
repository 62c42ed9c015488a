import * as l10n from '@vscode/l10n';
// What each `claudeBatches.*` setting may be, and what is used when it is something else. Values
// come from settings.json files, a workspace's included: anything JSON can hold, of any size.
// Every read is checked here, so no page size of "abc", no 1e9 entries per section, no interval
// that overflows a timer reaches the code that uses it; each ignored value says why, once.

export interface NumberRule {
  default: number;
  min: number;
  max: number;
}

/** The numeric settings, with package.json's bounds (which VS Code shows but does not enforce). */
export const NUMBER_SETTINGS = {
  pageSize: { default: 20, min: 1, max: 1000 },
  /** All batch endpoints share one rate limit: never more often than every 10 s. */
  pollIntervalSeconds: { default: 30, min: 10, max: 3600 },
  /** An hour at most: the poller never waits longer between checks (MAX_INTERVAL_MS). */
  maxPollIntervalSeconds: { default: 300, min: 10, max: 3600 },
  /** A results document's size and memory grow with these, so a workspace cannot set them (userValue). */
  'results.entriesPerSection': { default: 200, min: 1, max: 10_000 },
  'results.sectionEntries': { default: 2000, min: 1, max: 100_000 },
} as const satisfies Record<string, NumberRule>;

/** A value as it will be used, and why the one set was not, if it was not. */
export interface Checked<T> {
  value: T;
  problem?: string;
}

const SECTION = 'claudeBatches';

/** A short description of any value, for a log line: never the whole of a huge one. */
function describeValue(raw: unknown): string {
  switch (typeof raw) {
    case 'string':
      return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(raw);
    case 'object':
      if (raw === null) return 'null';
      return Array.isArray(raw) ? l10n.t('a list') : l10n.t('an object');
    default:
      return `a ${typeof raw}`;
  }
}

function wrongType<T>(key: string, raw: unknown, fallback: T, what: string): Checked<T> {
  return { value: fallback, problem: l10n.t('{0}.{1}: {2} is not {3}, so the default, {4}, is used.', SECTION, key, describeValue(raw), what, JSON.stringify(fallback)) };
}

/**
 * A whole number within the rule's bounds. Not a number (a string, NaN, an object): the
 * default. Out of range: the nearest bound. A fraction: rounded down.
 */
export function checkNumber(key: string, raw: unknown, rule: NumberRule): Checked<number> {
  if (raw === undefined || raw === null) return { value: rule.default };
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return wrongType(key, raw, rule.default, l10n.t('a number'));
  if (raw > rule.max) return { value: rule.max, problem: l10n.t('{0}.{1}: {2} is more than {3}, so {4} is used.', SECTION, key, raw, rule.max, rule.max) };
  if (raw < rule.min) return { value: rule.min, problem: l10n.t('{0}.{1}: {2} is less than {3}, so {4} is used.', SECTION, key, raw, rule.min, rule.min) };
  const whole = Math.floor(raw);
  if (whole !== raw) return { value: whole, problem: l10n.t('{0}.{1}: {2} is not a whole number, so {3} is used.', SECTION, key, raw, whole) };
  return { value: raw };
}

export function checkBoolean(key: string, raw: unknown, fallback: boolean): Checked<boolean> {
  if (raw === undefined || raw === null) return { value: fallback };
  return typeof raw === 'boolean' ? { value: raw } : wrongType(key, raw, fallback, l10n.t('true or false'));
}

export function checkString(key: string, raw: unknown, fallback: string): Checked<string> {
  if (raw === undefined || raw === null) return { value: fallback };
  return typeof raw === 'string' ? { value: raw } : wrongType(key, raw, fallback, 'text');
}

/** The values of one setting at each level, as VS Code's `inspect()` gives them. */
export interface InspectedValue {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value of a setting a workspace must not decide (what a confirmation says a batch costs,
 * how much memory a results document takes): the user's own, from user (or remote machine)
 * settings. package.json scopes these settings so VS Code already ignores them in a workspace;
 * reading only the user's level holds even where that scope is not enforced (older VS Code, forks).
 * Undefined when the user set nothing: the caller's default applies. `why` completes "a
 * workspace must not decide …" in the log line.
 */
export function userValue(key: string, inspected: InspectedValue | undefined, why: string): Checked<unknown> {
  const levels = [
    inspected?.workspaceValue !== undefined ? 'workspace' : undefined,
    inspected?.workspaceFolderValue !== undefined ? l10n.t('workspace folder') : undefined,
  ].filter((level): level is string => level !== undefined);
  const value = inspected?.globalValue;
  if (levels.length === 0) return { value };
  return {
    value,
    problem:
      l10n.t('{0}.{1} is set in the {2} settings: ignored, since a workspace must not decide {3}. ', SECTION, key, levels.join(' and '), why) +
      l10n.t('Set it in your user settings.'),
  };
}

/**
 * Reports each setting's problem once, not on every read (settings are read on every CodeLens,
 * page and document): again only when the problem changes, or comes back after it was fixed.
 */
export class ProblemLog {
  private readonly current = new Map<string, string>();

  constructor(private readonly write: (line: string) => void) {}

  report(key: string, problem: string | undefined): void {
    if (problem === undefined) {
      this.current.delete(key);
      return;
    }
    if (this.current.get(key) === problem) return;
    this.current.set(key, problem);
    this.write(problem);
  }
}
