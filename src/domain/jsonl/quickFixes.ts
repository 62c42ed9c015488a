// Pure text edits behind the editor's quick fixes. Each takes one line's text and returns the
// whole new line, identical to the old one except for the custom_id, or undefined when the fix
// does not apply. They never modify `existingIds` (the ids used in the document): the caller
// applies the edit and revalidates.

import { isPlainObject } from './issues';
import { locate } from './jsonLocator';
import { CUSTOM_ID_MAX_LENGTH, CUSTOM_ID_PATTERN } from './requestRules';

/** Where the JSON object starts in a line (after a BOM and whitespace), or -1. */
function objectStart(lineText: string): number {
  let i = 0;
  while (i < lineText.length) {
    const c = lineText.charCodeAt(i);
    if (c === 0xfeff || c === 32 || c === 9) i++;
    else break;
  }
  return lineText.charCodeAt(i) === 123 /* { */ ? i : -1;
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `base` with the first suffix -2, -3, … that makes it unused, within 64 characters. */
export function uniqueCustomId(base: string, existingIds: ReadonlySet<string>, alwaysSuffix = false): string {
  const trimmed = base.slice(0, CUSTOM_ID_MAX_LENGTH);
  if (!alwaysSuffix && trimmed.length > 0 && !existingIds.has(trimmed)) return trimmed;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, CUSTOM_ID_MAX_LENGTH - suffix.length) + suffix;
    if (!existingIds.has(candidate)) return candidate;
  }
}

/**
 * Adds `"custom_id": "request-<line>"` as the first key of a request line that has none (made
 * unique against `existingIds`). Follows the line's spacing after ":" and ",".
 */
export function fixMissingCustomId(lineText: string, existingIds: ReadonlySet<string>, lineNumber: number): string | undefined {
  const start = objectStart(lineText);
  if (start < 0) return undefined;
  const request = parseObject(lineText.slice(start));
  if (!request || 'custom_id' in request) return undefined;
  const id = uniqueCustomId(`request-${lineNumber}`, existingIds);
  const after = lineText.slice(start + 1);
  const inner = after.trimStart();
  const isEmpty = inner.startsWith('}');
  // Spacing as in the line: `{"params": …` or `{ "params" : …`.
  const leading = after.slice(0, after.length - inner.length);
  const colon = /^"(?:[^"\\]|\\.)*"(\s*):(\s*)/.exec(inner);
  const beforeColon = colon ? colon[1] : '';
  const afterColon = colon ? colon[2] : ' ';
  const member = `"custom_id"${beforeColon}:${afterColon}${JSON.stringify(id)}`;
  const insertion = isEmpty ? `${leading}${member}` : `${leading}${member},${afterColon === '' ? '' : ' '}`;
  return lineText.slice(0, start + 1) + insertion + inner;
}

function replaceCustomId(lineText: string, compute: (id: string) => string | undefined): string | undefined {
  const start = objectStart(lineText);
  if (start < 0) return undefined;
  const json = lineText.slice(start);
  const request = parseObject(json);
  if (!request || typeof request.custom_id !== 'string') return undefined;
  const next = compute(request.custom_id);
  if (next === undefined) return undefined;
  const span = locate(json, ['custom_id'], 'value');
  return lineText.slice(0, start + span.start) + JSON.stringify(next) + lineText.slice(start + span.end);
}

/** Renames a duplicated custom_id to the first of `<id>-2`, `<id>-3`, … not in `existingIds`. */
export function fixDuplicateCustomId(lineText: string, existingIds: ReadonlySet<string>): string | undefined {
  return replaceCustomId(lineText, (id) => (CUSTOM_ID_PATTERN.test(id) ? uniqueCustomId(id, existingIds, true) : undefined));
}

/**
 * Makes an invalid custom_id valid: characters other than letters, digits, "_" and "-" become
 * "_", and it is cut to 64 characters (and made unique against `existingIds`).
 */
export function fixInvalidCustomId(lineText: string, existingIds: ReadonlySet<string>, lineNumber: number): string | undefined {
  return replaceCustomId(lineText, (id) => {
    if (CUSTOM_ID_PATTERN.test(id)) return undefined;
    const cleaned = id.replace(/[^a-zA-Z0-9_-]/g, '_');
    return uniqueCustomId(cleaned.length > 0 ? cleaned : `request-${lineNumber}`, existingIds);
  });
}
