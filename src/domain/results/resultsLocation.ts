// Where a results document lives: `claude-batches:/results/<batchId>/<label>.results?section=…`
// (the section is the document's filter: one outcome, or one error type), and where one result
// opened in full lives: `claude-batches:/result/<batchId>/<custom_id>.md?id=…` (`.json`: raw).
// Built and parsed here only, as the path and query strings of the URI (the VS Code layer makes
// the Uri), so the round trip can be tested without an editor. A URI can come from anywhere (a
// link, a command argument, a restored editor), so parsing refuses anything that is not exactly
// a batch id and a known section, and never throws.
import * as l10n from '@vscode/l10n';
import { parseSectionId, type SectionId } from './outcomes';
import { ESCAPED_CLASS } from './untrustedText';

export interface ResultsTarget {
  batchId: string;
  /** Shown in the editor tab. */
  label: string;
  /** One section on its own (e.g. `errored:api_error`), with more entries. */
  section?: SectionId;
}

export interface ResultsLocation {
  path: string;
  query: string;
}

/** What the API's batch ids look like, and all the local copy accepts as a file name. */
const BATCH_ID = /^[A-Za-z0-9_-]{1,128}$/;
const PATH = /^\/results\/([^/]+)\/([^/]+)\.results$/;
/** A section names an error type from the results: no API category is anywhere near this long. */
const MAX_SECTION = 200;
/** What a tab title cannot hold as is: path separators, URI delimiters, controls, line and bidi controls. */
const NOT_IN_NAME = new RegExp(`[/\\\\?#\\t]|${ESCAPED_CLASS}`, 'g');

const nameOf = (text: string): string => text.replace(NOT_IN_NAME, '_');

export function resultsLocation(target: ResultsTarget): ResultsLocation {
  if (!BATCH_ID.test(target.batchId)) throw new Error(l10n.t('Not a batch id: {0}: results documents are named by the API\'s batch ids.', JSON.stringify(target.batchId)));
  const label = nameOf(target.label) || target.batchId;
  const name = `${label}${target.section ? ` (${nameOf(target.section)})` : ''}.results`;
  return {
    path: `/results/${target.batchId}/${name}`,
    query: target.section ? new URLSearchParams({ section: target.section }).toString() : '',
  };
}

/** The batch and section a results URI's path and query name, or undefined when they name none. */
export function parseResultsLocation(path: string, query: string): ResultsTarget | undefined {
  const match = PATH.exec(path);
  if (!match || !BATCH_ID.test(match[1])) return undefined;
  const sections = new URLSearchParams(query).getAll('section');
  if (sections.length > 1) return undefined;
  const section = sections[0];
  if (section !== undefined && (section.length > MAX_SECTION || !parseSectionId(section))) return undefined;
  let label = match[2];
  const suffix = section !== undefined ? ` (${nameOf(section)})` : '';
  if (suffix && label.endsWith(suffix) && label.length > suffix.length) label = label.slice(0, -suffix.length);
  return { batchId: match[1], label, section: section as SectionId | undefined };
}

/** One result opened in full: `claude-batches:/result/<batchId>/<custom_id>.md?id=<custom_id>&at=<offset>-<length>`. */
export interface FullResultTarget {
  batchId: string;
  customId: string;
  /** Markdown, or the result's raw JSON. */
  view: 'markdown' | 'json';
  /**
   * Where the result's line is in the local copy, as the document that linked it knew: a hint,
   * checked against the line's custom_id before use (without it, the entry index is looked up).
   */
  at?: { offset: number; length: number };
}

/** Longer custom_ids than the API allows (64) are accepted from an edited copy, up to this. */
const MAX_CUSTOM_ID = 512;
const FULL_PATH = /^\/result\/([^/]+)\/([^/]+)\.(md|json)$/;
const AT = /^(\d{1,15})-(\d{1,15})$/;

export function fullResultLocation(target: FullResultTarget): ResultsLocation {
  if (!BATCH_ID.test(target.batchId)) throw new Error(l10n.t('Not a batch id: {0}: results documents are named by the API\'s batch ids.', JSON.stringify(target.batchId)));
  if (target.customId.length === 0 || target.customId.length > MAX_CUSTOM_ID) throw new Error(l10n.t('Not a custom_id of a result: {0}.', JSON.stringify(target.customId.slice(0, 80))));
  const name = nameOf(target.customId).slice(0, 80) || 'result';
  const query = new URLSearchParams({ id: target.customId });
  if (target.at) query.set('at', `${target.at.offset}-${target.at.length}`);
  return { path: `/result/${target.batchId}/${name}.${target.view === 'json' ? 'json' : 'md'}`, query: query.toString() };
}

/** The result a full-view URI names, or undefined when it names none (never throws). */
export function parseFullResultLocation(path: string, query: string): FullResultTarget | undefined {
  const match = FULL_PATH.exec(path);
  if (!match || !BATCH_ID.test(match[1])) return undefined;
  const params = new URLSearchParams(query);
  for (const key of params.keys()) if (key !== 'id' && key !== 'at') return undefined;
  const ids = params.getAll('id');
  const ats = params.getAll('at');
  if (ids.length !== 1 || ats.length > 1) return undefined;
  const customId = ids[0];
  if (customId.length === 0 || customId.length > MAX_CUSTOM_ID) return undefined;
  let at: FullResultTarget['at'];
  if (ats.length === 1) {
    const m = AT.exec(ats[0]);
    if (!m) return undefined;
    at = { offset: Number(m[1]), length: Number(m[2]) };
  }
  return { batchId: match[1], customId, view: match[3] === 'json' ? 'json' : 'markdown', ...(at ? { at } : {}) };
}
