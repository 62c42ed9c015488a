// The words a person reads, translated, in code that imports no `vscode`. Code under src/vscode
// calls `vscode.l10n.t`; code under src/api, src/common and src/domain calls `t` of
// `@vscode/l10n` (`import * as l10n from '@vscode/l10n'`, then `l10n.t('… {0} …', value)`), the
// library VS Code made for code outside the extension host API: same messages, same `{0}`
// placeholders, same bundle format. `npm run l10n` finds both kinds of calls and lists them in
// l10n/bundle.l10n.json, the file a translator copies to bundle.l10n.<language>.json.
//
// The wiring hands `@vscode/l10n` the bundle VS Code loaded for the display language
// (`vscode.l10n.bundle`, undefined in English) through useBundle. dist/results.js and dist/data.js
// each hold their own copy of `@vscode/l10n` and of this module: resultsModule.ts and
// dataModule.ts hand them the same bundle when they load them (currentBundle).

import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';

/** A bundle: the message in English → its translation. */
export type L10nBundle = l10n.l10nJsonFormat;

let bundle: L10nBundle | undefined;
let wording: string | undefined;

/** Translates with this bundle from now on; `undefined` (English) leaves the messages as written. */
export function useBundle(contents: L10nBundle | undefined): void {
  bundle = contents;
  wording = undefined;
  l10n.config({ contents: contents ?? {} });
}

/** The wording key of English, the messages as written. */
export const ENGLISH_WORDING = 'en';

/**
 * Which words the translated messages come out in: `en` without a bundle, else a short hash of
 * the bundle (another language, or another version of its translation, gives another key). Kept
 * beside words written to disk (a results index, a download's note) so that a later session in
 * another display language does not show them: it makes them again, or leaves them out.
 */
export function wordingKey(): string {
  if (wording === undefined) {
    const entries = bundle ? Object.entries(bundle) : [];
    wording = entries.length === 0 ? ENGLISH_WORDING : createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
  }
  return wording;
}

/** The bundle in use, to hand to the lazily loaded bundles. */
export function currentBundle(): L10nBundle | undefined {
  return bundle;
}
