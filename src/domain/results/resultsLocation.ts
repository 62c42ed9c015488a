// Where a results document lives: `claude-batches:/results/<batchId>/<label>.results?section=…`.
// Built and parsed here only, as the path and query strings of the URI (the VS Code layer makes
// the Uri), so the round trip can be tested without an editor. A URI can come from anywhere (a
// link, a command argument, a restored editor), so parsing refuses anything that is not exactly
// a batch id and a known section, and never throws.
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
/** What a tab title cannot hold as is: path separators, URI delimiters, controls, line and bidi controls. */
const NOT_IN_NAME = new RegExp(`[/\\\\?#\\t]|${ESCAPED_CLASS}`, 'g');

const nameOf = (text: string): string => text.replace(NOT_IN_NAME, '_');

export function resultsLocation(target: ResultsTarget): ResultsLocation {
  if (!BATCH_ID.test(target.batchId)) throw new Error(`Not a batch id: ${JSON.stringify(target.batchId)}: results documents are named by the API's batch ids.`);
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
  if (section !== undefined && !parseSectionId(section)) return undefined;
  let label = match[2];
  const suffix = section !== undefined ? ` (${nameOf(section)})` : '';
  if (suffix && label.endsWith(suffix) && label.length > suffix.length) label = label.slice(0, -suffix.length);
  return { batchId: match[1], label, section: section as SectionId | undefined };
}
