// How a results entry names its request's line in the source file. The results document writes
// these words in parentheses after the prompt, and the source links (src/vscode/results/sourceLinks.ts,
// loaded at activation) look for the very same words to link them: one message, one place, so a
// translation cannot make the two disagree. A leaf (format.ts and @vscode/l10n only), so the links
// do not pull the results renderer into the activation bundle.
import * as l10n from '@vscode/l10n';
import { formatCount } from '../../common/format';

/** `source line 12`, translated when called. */
export function sourceLineWords(line: number): string {
  return l10n.t('source line {0}', formatCount(line));
}
