import type { Diagnostic } from '../../../src/domain/jsonl';

export const BASE_PARAMS = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] };

/** A request line: params are BASE_PARAMS with `changes` merged (undefined deletes a key). */
export function request(customId: string, changes: Record<string, unknown> = {}): string {
  const params: Record<string, unknown> = { ...BASE_PARAMS };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete params[key];
    else params[key] = value;
  }
  return JSON.stringify({ custom_id: customId, params });
}

/** 1-based column of the first occurrence of `marker` in `text` (fails loudly when absent). */
export function columnOf(text: string, marker: string, occurrence = 1): number {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(marker, index + 1);
    if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not in ${text}`);
  }
  return index + 1;
}

/** A compact view of diagnostics for deep equality in failure messages. */
export function brief(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`);
}
