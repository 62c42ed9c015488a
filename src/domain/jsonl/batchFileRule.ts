import type { BatchFileClassification } from './batchFileKind';

/** What decides whether a file is a batch file, besides its content. */
export interface BatchFileFacts {
  /** The file's name and its path relative to the workspace folder (or absolute outside one), with "/". */
  name: string;
  path: string;
  /** The user (or a file name pattern such as *.batch.jsonl) gave it the batch language. */
  batchLanguageChosen: boolean;
  /** claudeBatches.batchFiles.include / .exclude. */
  include: readonly string[];
  exclude: readonly string[];
  content: BatchFileClassification;
}

export interface BatchFileDecision {
  isBatch: boolean;
  /** Why, to follow "<name> is (not) a batch file: ". */
  reason: string;
}

/**
 * The rule, in order: the batch language chosen by hand wins; then a file the exclude setting
 * names is not a batch file, and one the include setting names is; then the content decides, and
 * a file it cannot decide (an empty one) is not a batch file.
 */
export function decideBatchFile(facts: BatchFileFacts): BatchFileDecision {
  if (facts.batchLanguageChosen) return { isBatch: true, reason: 'its language is set to Claude Batch (JSONL)' };
  const excluded = facts.exclude.find((g) => globMatches(g, facts.name, facts.path));
  if (excluded !== undefined) return { isBatch: false, reason: `claudeBatches.batchFiles.exclude names it ("${excluded}")` };
  const included = facts.include.find((g) => globMatches(g, facts.name, facts.path));
  if (included !== undefined) return { isBatch: true, reason: `claudeBatches.batchFiles.include names it ("${included}")` };
  return { isBatch: facts.content.kind === 'batch', reason: facts.content.reason };
}

/**
 * Whether a glob names a file: a pattern without "/" is matched against the file's name
 * ("*.train.jsonl"), one with "/" against its path ("data/**", "**\/logs/*.jsonl"). Supports
 * `*`, `**`, `?` and `{a,b}`; case-sensitive, as paths are.
 */
export function globMatches(glob: string, name: string, path: string): boolean {
  const pattern = glob.trim().replace(/^\.\//, '');
  if (pattern === '') return false;
  return globRegExp(pattern).test(pattern.includes('/') ? path : name);
}

const cache = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches any number of folders, including none; a lone "**" anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  out += ')'.repeat(braces);
  const re = new RegExp(`^(?:${out})$`);
  if (cache.size < 100) cache.set(glob, re);
  return re;
}
