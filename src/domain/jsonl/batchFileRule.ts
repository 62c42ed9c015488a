import * as l10n from '@vscode/l10n';
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
  /** What decided: the language chosen by hand, a setting's glob, or the file's content. */
  by: 'language' | 'exclude' | 'include' | 'content';
  /** Why, to follow "<name> is (not) a batch file: ". */
  reason: string;
}

/**
 * The rule, in order: the batch language chosen by hand wins; then a file the exclude setting
 * names is not a batch file, and one the include setting names is; then the content decides, and
 * a file it cannot decide (an empty one) is not a batch file.
 */
export function decideBatchFile(facts: BatchFileFacts): BatchFileDecision {
  if (facts.batchLanguageChosen) return { isBatch: true, by: 'language', reason: l10n.t('its language is set to Claude Batch (JSONL)') };
  const excluded = facts.exclude.find((g) => globMatches(g, facts.name, facts.path));
  if (excluded !== undefined) return { isBatch: false, by: 'exclude', reason: l10n.t('claudeBatches.batchFiles.exclude names it ("{0}")', excluded) };
  const included = facts.include.find((g) => globMatches(g, facts.name, facts.path));
  if (included !== undefined) return { isBatch: true, by: 'include', reason: l10n.t('claudeBatches.batchFiles.include names it ("{0}")', included) };
  return { isBatch: facts.content.kind === 'batch', by: 'content', reason: facts.content.reason };
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

/**
 * Bounds on globs, which a workspace may set: each becomes a regular expression run against every
 * batch-ish file name, and a pattern with many `*` can backtrack for very long (each `*` multiplies
 * the work by the name's length). Real patterns ("**\/logs/*.jsonl") use one to three.
 */
export const GLOB_LIMITS = { count: 50, length: 200, wildcards: 3 } as const;

/** The globs of a setting that can be used, and why the others cannot. */
export function usableGlobs(list: readonly string[]): { globs: string[]; ignored: string[] } {
  const globs: string[] = [];
  const ignored: string[] = [];
  for (const given of list) {
    const glob = normalizeGlob(given);
    // What the compiled expression will hold: "**" and "*" each become one quantified run.
    const wildcards = glob.match(/\*\*|\*|\?/g)?.length ?? 0;
    if (globs.length >= GLOB_LIMITS.count) ignored.push(l10n.t('more than {0} patterns', GLOB_LIMITS.count));
    else if (glob.length > GLOB_LIMITS.length) ignored.push(l10n.t('a pattern longer than {0} characters', GLOB_LIMITS.length));
    else if (wildcards > GLOB_LIMITS.wildcards) ignored.push(l10n.t('"{0}" has more than {1} wildcards', glob, GLOB_LIMITS.wildcards));
    else globs.push(glob);
  }
  return { globs, ignored };
}

/** Three or more stars in a row mean no more than two: "***" is "**" (so no run hides extra quantifiers). */
function normalizeGlob(glob: string): string {
  return glob.replace(/\*{3,}/g, '**');
}

const cache = new Map<string, RegExp>();

function globRegExp(given: string): RegExp {
  const glob = normalizeGlob(given);
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
