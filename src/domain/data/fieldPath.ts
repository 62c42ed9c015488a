import * as l10n from '@vscode/l10n';
// Fields of JSON records by name: a key as written, or a dotted path into nested objects
// ("author.name"). An exact key wins over a path, so a key that holds a dot stays reachable.

const own = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/** The value at `name` in `record`, or undefined when there is none. */
export function fieldAt(record: Record<string, unknown>, name: string): unknown {
  if (own(record, name)) return record[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = record;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !own(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The names a placeholder can use in `record`: its keys, and dotted paths into nested objects (a few levels). */
export function fieldNames(record: Record<string, unknown>, depth = 3, prefix = ''): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    names.push(prefix + key);
    if (depth > 1 && value !== null && typeof value === 'object' && !Array.isArray(value)) names.push(...fieldNames(value as Record<string, unknown>, depth - 1, `${prefix}${key}.`));
  }
  return names;
}

/** What a JSON value is, said for a person: "a number", "an array", "null". */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return l10n.t('an array');
  if (typeof value === 'object') return l10n.t('an object');
  return `a ${typeof value}`;
}
