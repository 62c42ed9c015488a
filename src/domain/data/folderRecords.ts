// A folder as data: each file is a record, in path order, with `file.name`, `file.path` (inside
// the folder, with "/") and `file.text`. Subfolders are walked; hidden entries (".git") are not,
// and neither are links, so a link cannot pull in files from outside the folder.
import * as l10n from '@vscode/l10n';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../regularFile';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../../common/format';
import { MAX_FIELD_CHARS, type DataItem, type DataSource } from './dataRecord';

export const FOLDER_COLUMNS = ['file.name', 'file.path', 'file.text'];

async function* walk(root: string, relative: string): AsyncGenerator<string> {
  const entries = await fs.promises.readdir(path.join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const inside = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, inside);
    else if (entry.isFile()) yield inside;
  }
}

export class FolderSource implements DataSource {
  readonly kind = 'folder';
  constructor(
    readonly path: string,
    private readonly maxFileBytes = MAX_FIELD_CHARS,
  ) {}

  columns(): Promise<string[]> {
    return Promise.resolve(FOLDER_COLUMNS);
  }

  async *records(signal?: AbortSignal): AsyncGenerator<DataItem> {
    let number = 0;
    for await (const inside of walk(this.path, '')) {
      signal?.throwIfAborted();
      const file = path.join(this.path, inside);
      number++;
      let bytes: Buffer;
      try {
        // Read whole, so bounded: a pipe or device put in the folder is refused, never waited on.
        bytes = await readRegularFile(file, this.maxFileBytes);
      } catch (err) {
        if (!(err instanceof FileTooLargeError || err instanceof NotRegularFileError)) throw err;
        const why = err instanceof FileTooLargeError ? l10n.t('it is more than any request can use (at most {0})', formatBytes(this.maxFileBytes)) : l10n.t('it is not a regular file (a pipe, a device)');
        yield { kind: 'bad', number, line: 0, where: inside, column: 'file.text', message: l10n.t('the file was not read: {0}', why) };
        continue;
      }
      if (!isUtf8(bytes)) {
        yield { kind: 'bad', number, line: 0, where: inside, column: 'file.text', message: l10n.t('the file is not UTF-8 text (a binary file, or another encoding)') };
        continue;
      }
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      const fields: Record<string, string> = { 'file.name': path.basename(inside), 'file.path': inside, 'file.text': text };
      yield { kind: 'record', number, line: 0, where: inside, get: (name) => fields[name], columns: () => ['file.name', 'file.path'] };
    }
  }
}
