// The words a person reads, translated. Code under src/vscode calls `vscode.l10n.t` itself; code
// that must not import `vscode` (src/domain, src/api, and src/vscode modules that unit tests load
// in plain Node) calls `l10n.t` from here, with the same signature and the same `{0}`
// placeholders. The VS Code layer installs `vscode.l10n.t` as the translator when it wires the
// features (setTranslator); until then, and in plain-Node tests, the English text is filled in
// as written, exactly as `vscode.l10n.t` does when no translation exists.
//
// `npm run l10n` lists every `l10n.t('…')` call of src (both kinds) in l10n/bundle.l10n.json,
// the file a translator copies to bundle.l10n.<language>.json: a translation needs no code
// change. Messages are literal strings, never built by concatenation, so that they can be found.
//
// A leaf: this module imports nothing, so every layer may use it.

/** A value that fills a `{n}` placeholder. */
export type L10nArg = string | number | boolean;

/** Translates a message and fills its `{0}`, `{1}`… placeholders with the arguments. */
export type Translator = (message: string, ...args: L10nArg[]) => string;

/** Fills `{n}` placeholders as `vscode.l10n.t` does; a placeholder without an argument stays. */
export function fillPlaceholders(message: string, ...args: L10nArg[]): string {
  if (args.length === 0) return message;
  return message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : whole;
  });
}

let translator: Translator = fillPlaceholders;

/** Installs the translator (`vscode.l10n.t`); `undefined` goes back to the English text. */
export function setTranslator(next: Translator | undefined): void {
  translator = next ?? fillPlaceholders;
}

/** The translator in use: handed to the lazily loaded bundles, which hold their own copy of this module. */
export function currentTranslator(): Translator {
  return translator;
}

export const l10n = {
  /** The message in the display language, placeholders filled. */
  t(message: string, ...args: L10nArg[]): string {
    return translator(message, ...args);
  },
};
