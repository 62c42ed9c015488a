// Batches from data: a template with placeholders, filled from CSV/TSV rows, JSON/JSONL records or
// the files of a folder; the batch file it writes, its link back to the data, and the results
// joined back to the data as CSV. Imports no `vscode`.
export { DataFileError, MAX_FIELD_CHARS, fieldText, type BadRecord, type DataItem, type DataKind, type DataRecord, type DataSource } from './dataRecord';
export { CsvSource, type CsvOptions } from './csvRecords';
export { JsonArraySource, JsonlSource, MAX_JSON_FILE_BYTES } from './jsonRecords';
export { FolderSource, FOLDER_COLUMNS } from './folderRecords';
export { DATA_EXTENSIONS, openDataSource } from './dataSource';
export { fieldAt, fieldNames } from './fieldPath';
export { scanPlaceholders, splitString, wholeJsonField, type Placeholder } from './placeholders';
export { parseTemplate, templateForColumns, TemplateError, TEMPLATE_SUFFIX, type Template, type TemplateOptions } from './template';
export { compileTemplate, RenderError, requestLine, type Renderer } from './render';
export { CustomIdMaker, validCustomId } from './customIds';
export { BadRecordError, buildBatchFromData, commitBuild, discardBuild, OutputExistsError, type BatchBuild, type BuildOptions } from './batchBuilder';
export { LINK_SUFFIX, linkPath, readSourceLink, resolveFromLink, type SourceLink } from './sourceLink';
export { RESULT_COLUMNS, resultColumnNames, writeResultsCsv, type ResultsCsvOptions, type ResultsCsvSummary } from './resultsCsv';
export { csvCell, csvRow } from './csvText';
export { checkTemplate, type TemplateCheck, type TemplateData, type TemplateProblem } from './templateCheck';
