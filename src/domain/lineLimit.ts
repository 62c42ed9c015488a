// How long one line of a batch file or of a results file may be. Lines are buffered whole (a
// request is validated and sent as one piece; a result is parsed as one piece), so without a cap
// a file with no newline, or one that never ends, would grow one line until the process runs out
// of memory, taking every other extension in the host with it.
//
// Why 32 MiB: each line of a batch file is one Messages API request, and the Messages API takes
// at most 32 MB per request, so no line the API would run can be longer. A results line holds one
// response, whose output is bounded by max_tokens: a few MB at most, far under the cap. 32 MiB
// (slightly over 32 MB) leaves the API's own limit to the API: nothing it would take is refused
// here. Memory then holds at most this much plus one read chunk per line being split.

import * as l10n from '@vscode/l10n';
import { formatBytes, formatCount } from '../common/format';

export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const MB = 1024 * 1024;

/** A limit reads as a round number: `32 MB`, not `32.0 MB`; limits under 1 MB (tests set them) as any size. */
function formatLineLimit(bytes: number): string {
  return bytes >= MB ? `${formatCount(Math.round(bytes / MB))} MB` : formatBytes(bytes);
}

/** A line longer than the cap: reading stopped there, with nothing past the cap held in memory. */
export class LineTooLongError extends Error {
  /**
   * @param where The file (or stream) being read, named at the start of the message.
   * @param line 1-based number of the overlong line.
   * @param limit The cap in bytes.
   * @param advice What to do, for the kind of file being read.
   */
  constructor(
    readonly where: string | undefined,
    readonly line: number,
    readonly limit: number,
    advice: string,
  ) {
    super(l10n.t('{0}line {1} is longer than {2} without a line break, so reading stopped there. {3}', where ? `${where}: ` : '', line, formatLineLimit(limit), advice));
    this.name = 'LineTooLongError';
  }
}
