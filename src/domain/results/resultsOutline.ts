// The Outline of a results document: its sections, the error types inside Errored, and the
// entries of each by custom_id, with the lines they span. Made from the structure the renderer
// recorded (resultsDocument.ts), never by reading the text back, so a reply that looks like a
// heading is not one here either.
import * as l10n from '@vscode/l10n';
import { formatCount } from '../../common/format';
import type { DocumentSection, ResultsDocument } from './resultsDocument';
import { sourceLineWords } from './sourceLineWords';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: 'section' | 'group' | 'entry';
  /** 0-based, both inclusive. */
  line: number;
  endLine: number;
  children: OutlineSymbol[];
}

export function resultsOutline(doc: ResultsDocument): OutlineSymbol[] {
  const entryEnd = new Map<number, number>();
  for (const fold of doc.folding) if (fold.kind === 'entry') entryEnd.set(fold.start, fold.end);
  const entriesOf = (section: DocumentSection): OutlineSymbol[] =>
    doc.entries
      .filter((e) => e.section === section.id)
      .map((e) => ({ name: e.customId, detail: e.sourceLine !== undefined ? sourceLineWords(e.sourceLine) : '', kind: 'entry', line: e.line, endLine: entryEnd.get(e.line) ?? e.line, children: [] }));
  const symbolOf = (section: DocumentSection, kind: OutlineSymbol['kind'], children: OutlineSymbol[]): OutlineSymbol => {
    const shown = section.shown < section.count ? l10n.t('{0} of {1} shown', formatCount(section.shown), formatCount(section.count)) : formatCount(section.count);
    return { name: section.title.split(' · ')[0], detail: shown, kind, line: section.line, endLine: Math.max(section.line, section.endLine), children };
  };
  const outcomes = doc.sections.filter((s) => !s.id.includes(':'));
  const groups = doc.sections.filter((s) => s.id.startsWith('errored:'));
  return outcomes.map((section) =>
    section.id === 'errored' ? symbolOf(section, 'section', groups.map((g) => symbolOf(g, 'group', entriesOf(g)))) : symbolOf(section, 'section', entriesOf(section)),
  );
}
