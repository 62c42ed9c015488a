// Untrusted text (file names, labels, batch ids, machine and workspace names, server messages)
// placed into Markdown that VS Code renders: tooltips and hovers. It must read as the text
// itself, never as Markdown: a backtick in a file name must not close a code span, a `[x](url)`
// must not become a link, `<b>` must not become HTML, `$(icon)` must not become an icon.

/** ASCII punctuation: CommonMark reads each, backslash-escaped, as itself. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** A theme icon as VS Code finds it in rendered text: `$(name)` or `$(name~modifier)`. */
const THEME_ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

export interface MarkdownTextOptions {
  /**
   * The MarkdownString renders `$(icon)` (supportThemeIcons). VS Code finds icons in the text
   * after Markdown has rendered it, and leaves `\$(icon)` there alone (showing `$(icon)`), so the
   * rendered text must carry that backslash: it is added before every icon pattern, escaped.
   */
  themeIcons?: boolean;
}

/**
 * `text` as Markdown that renders as exactly that text, inline: every ASCII punctuation
 * character is backslash-escaped (so no code span, emphasis, link, autolink, HTML, entity,
 * table pipe or block marker can start), and line breaks become spaces (so the text stays on its
 * line, in its table cell). Not for inside code spans, where backslashes are literal: untrusted
 * text goes in as escaped plain text, never in a code span.
 */
export function markdownText(text: string, options: MarkdownTextOptions = {}): string {
  let plain = text.replace(/\r\n|[\r\n]/g, ' ');
  if (options.themeIcons) plain = plain.replace(THEME_ICON, (icon) => `\\${icon}`);
  return plain.replace(PUNCTUATION, '\\$&');
}
