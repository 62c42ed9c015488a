// The starter of "New Batch File": a few requests that show the shape of a batch file (one
// request per line, a custom_id to match results, the Messages API params) and validate cleanly,
// so the first thing a new user sees is the Submit lens, not a problem.

/** The model the starter asks: the current small model, cheap for a first try. */
export const STARTER_MODEL = 'claude-haiku-4-5';

// not translated: prompts sent to Claude, written into the user's file, not words of the interface
const PROMPTS: readonly [string, string][] = [
  ['greeting', 'Write a one-line greeting for someone trying the Message Batches API for the first time.'],
  ['haiku', 'Write a haiku about waiting for results.'],
  ['summary', 'In two sentences, explain why batch requests cost half as much as standard ones.'],
];

/** The starter batch file's text: one request per line, each ending in a newline. */
export function starterBatchText(model: string = STARTER_MODEL): string {
  return PROMPTS.map(([id, prompt]) => `${JSON.stringify({ custom_id: `starter-${id}`, params: { model, max_tokens: 256, messages: [{ role: 'user', content: prompt }] } })}\n`).join('');
}

/**
 * The first of `name`, `name-2`, `name-3`… (before the extension, `requests.batch.jsonl` →
 * `requests-2.batch.jsonl`) that `taken` says is free; undefined after `limit` tries.
 */
export function freeFileName(name: string, taken: (candidate: string) => boolean, limit = 1000): string | undefined {
  const dot = name.indexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; n <= limit; n++) {
    const candidate = n === 1 ? name : `${stem}-${n}${extension}`;
    if (!taken(candidate)) return candidate;
  }
  return undefined;
}
