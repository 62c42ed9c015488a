// Writing CSV (RFC 4180): a cell holding a comma, a quote, a line break, or space at either end is
// quoted, with quotes inside written twice; rows end with "\r\n", as spreadsheets expect.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
