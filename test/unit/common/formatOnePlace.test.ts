// Numbers, sizes and counts are worded in one place each, so that the text agrees everywhere and
// a translation changes one module. Reads every file of src/ as text: a formatter written again,
// or a locale hard-coded, fails here with where it is and what to use instead.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

interface Rule {
  what: string;
  pattern: RegExp;
  /** The one file allowed to hold it (relative to the repository, with /). */
  home: string;
  instead: string;
}

const RULES: Rule[] = [
  { what: 'a hard-coded locale', pattern: /\.toLocale(Date|Time)?String\(/, home: 'src/common/format.ts', instead: 'formatCount / formatUsd / formatTime from src/common/format.ts' },
  { what: 'an Intl formatter', pattern: /new Intl\.(NumberFormat|DateTimeFormat)\(/, home: 'src/common/format.ts', instead: 'a formatter of src/common/format.ts (add one there if none fits)' },
  { what: 'a number rounded for display', pattern: /\.toFixed\(/, home: 'src/common/format.ts', instead: 'formatBytes / formatUsd from src/common/format.ts' },
  {
    what: 'a formatter defined again',
    pattern: /(function|const|let)\s+(formatCount|formatBytes|formatUsd|formatDuration|formatDate|formatTime)\b/,
    home: 'src/common/format.ts',
    instead: 'import it from src/common/format.ts',
  },
  { what: 'a status worded again', pattern: /processing_status\.replace\(/, home: 'src/common/batchStatus.ts', instead: 'statusText from src/common/batchStatus.ts' },
  {
    what: "a batch's request count summed again",
    pattern: /\.(processing|succeeded|errored|canceled|expired) \+ \w+\.(processing|succeeded|errored|canceled|expired)\b/,
    home: 'src/common/requestCounts.ts',
    instead: 'totalRequests / sumRequestCounts from src/common/requestCounts.ts',
  },
  {
    what: 'an outcome count worded again',
    // The summary's shape: each outcome pushed when there are any (`parts.push(`${…} expired`)`).
    pattern: /\.push\(`\$\{[^`]*\} (succeeded|errored|expired|canceled|✓|✗)`\)/,
    home: 'src/common/requestCounts.ts',
    instead: 'outcomeSummary from src/common/requestCounts.ts',
  },
  {
    what: 'a module loaded on first use by hand',
    // `x ??= require(…)`, `x = require(…)`: a variable kept by hand (a `const` inside a loader is fine).
    pattern: /\?\?=\s*require\(|^\s*[\w.]+\s*=\s*require\(/,
    home: 'src/api/lazyModule.ts',
    instead: "lazyModule(() => require('./…')) from src/api/lazyModule.ts",
  },
];

describe('format: one place for each formatter (a scan of src/)', () => {
  const files = sourceFiles(SRC).map((file) => ({ rel: path.relative(ROOT, file).split(path.sep).join('/'), text: fs.readFileSync(file, 'utf8') }));

  it('finds the source files', () => assert.ok(files.length > 50 && files.some((f) => f.rel === 'src/common/format.ts'), `read ${files.length} files`));

  for (const rule of RULES) {
    it(`no ${rule.what} outside ${rule.home}`, () => {
      const found = files
        .filter((f) => f.rel !== rule.home)
        .flatMap((f) =>
          f.text.split('\n').flatMap((line, i) => (rule.pattern.test(line) ? [`${f.rel}:${i + 1}: ${line.trim()}`] : [])),
        );
      assert.ok(found.length === 0, `${rule.what} found; use ${rule.instead}:\n${found.join('\n')}`);
    });
  }

  it('src/common/format.ts imports nothing, so that every layer (src/api included) may use it', () => {
    const text = files.find((f) => f.rel === 'src/common/format.ts')!.text;
    assert.deepEqual(text.match(/^\s*(import|export .* from)\b.*$/gm) ?? [], []);
    assert.doesNotMatch(text, /require\(/);
  });

  it('the layers load downwards only: src/common loads nothing of the project, src/api loads only src/common', () => {
    const byRel = new Map(files.map((f) => [f.rel, f.text]));
    /** The src/ modules a file loads at runtime (`import type` loads nothing). */
    const runtimeImports = (rel: string): string[] =>
      [...byRel.get(rel)!.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gm)].map((m) => {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
        return byRel.has(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`;
      });
    const loads = (layer: string) =>
      files.filter((f) => f.rel.startsWith(layer)).flatMap((f) => runtimeImports(f.rel).filter((dep) => !dep.startsWith(layer)).map((dep) => `${f.rel} loads ${dep}`));
    assert.ok(runtimeImports('src/api/errors.ts').includes('src/common/format.ts'), 'the scan sees the API use format.ts');
    assert.deepEqual(loads('src/common/'), [], 'src/common loads only src/common');
    assert.deepEqual(loads('src/api/').filter((l) => !l.includes(' loads src/common/')), [], 'src/api loads only src/api and src/common');
  });
});
