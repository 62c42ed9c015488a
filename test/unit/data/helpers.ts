import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataItem, DataSource } from '../../../src/domain/data';

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `claude-batches-data-${name}-`));
}

/** Writes `content` to `name` in `dir` and returns its path. */
export function writeData(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export interface Read {
  records: { number: number; line: number; where: string; fields: Record<string, unknown> }[];
  bad: { number: number; line: number; where: string; column?: string; message: string }[];
}

/** Every item of a source, records as plain objects of the named fields. */
export async function readAll(source: DataSource, fields: string[]): Promise<Read> {
  const out: Read = { records: [], bad: [] };
  for await (const item of source.records() as AsyncIterable<DataItem>) {
    if (item.kind === 'bad') out.bad.push({ number: item.number, line: item.line, where: item.where, column: item.column, message: item.message });
    else out.records.push({ number: item.number, line: item.line, where: item.where, fields: Object.fromEntries(fields.map((f) => [f, item.get(f)])) });
  }
  return out;
}

export const TEMPLATE = {
  params: { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Summarise {{text}}' }] },
  options: { customIdColumn: 'id' },
};

/** The files left in `dir` (to check nothing half-written stayed). */
export function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
