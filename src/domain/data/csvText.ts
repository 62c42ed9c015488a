// Writing CSV (RFC 4180): a cell holding a comma, a quote, a line break, or space at either end is
// quoted, with quotes inside written twice; rows end with "\r\n", as spreadsheets expect.
//
// These files are opened in spreadsheets, and their cells hold text nobody here wrote: answers
// shaped by whatever web page a model read, error messages, and the user's own data (which may
// have come from anywhere). A cell starting with = + - @ (or a tab or carriage return before one)
// is read by a spreadsheet as a formula, which can fetch URLs or run commands when the file is
// opened. Such a cell is written with a leading ' so it is shown as text; the rest of the value is
// kept as it is. A plain number such as -12 or +3.5 cannot be a formula and stays a number.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The text as a spreadsheet must be given it to show it, not evaluate it. */
export function inertText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export function csvCell(text: string): string {
  const safe = inertText(text);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
