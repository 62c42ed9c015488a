// Which reader a data file or folder gets, by what it is: a folder, or its extension.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CsvSource } from './csvRecords';
import type { DataSource } from './dataRecord';
import { FolderSource } from './folderRecords';
import { JsonArraySource, JsonlSource } from './jsonRecords';

export const DATA_EXTENSIONS = ['.csv', '.tsv', '.json', '.jsonl'];

/** The reader for `target`; throws when it is neither a folder nor a data file it can read. */
export async function openDataSource(target: string): Promise<DataSource> {
  const stat = await fs.promises.stat(target);
  if (stat.isDirectory()) return new FolderSource(target);
  switch (path.extname(target).toLowerCase()) {
    case '.csv':
      return new CsvSource(target, { delimiter: ',' });
    case '.tsv':
    case '.tab':
      return new CsvSource(target, { delimiter: '\t' });
    case '.json':
      return new JsonArraySource(target);
    case '.jsonl':
    case '.ndjson':
      return new JsonlSource(target);
    default:
      throw new Error(l10n.t('{0} is not data a batch can be built from: use a CSV, TSV, JSON (an array of objects) or JSONL file, or a folder of text files.', path.basename(target)));
  }
}
