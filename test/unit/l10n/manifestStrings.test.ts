import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8')) as Record<string, unknown>;

/** Fields of the manifest a person reads in VS Code (names, titles, descriptions, welcome text). */
const SHOWN_FIELDS = new Set([
  'displayName',
  'description',
  'title',
  'shortTitle',
  'category',
  'name',
  'contextualTitle',
  'contents',
  'markdownDescription',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'altText',
]);
/** Objects whose same-named fields are ids or code, not words. */
const NOT_SHOWN_UNDER = new Set(['scripts', 'devDependencies', 'dependencies', 'engines', 'repository', 'bugs', 'galleryBanner', 'grammars', 'languages', 'menus', 'keybindings']);

/** Every shown string of the manifest, with its path, e.g. `contributes.commands.3.title`. */
function shownStrings(value: unknown, at: string[] = [], shownField = false): { at: string; value: string }[] {
  if (typeof value === 'string') return shownField ? [{ at: at.join('.'), value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => shownStrings(v, [...at, String(i)], shownField));
  if (value && typeof value === 'object') {
    // The package's own `name` is its id.
    const shownHere = (k: string) => SHOWN_FIELDS.has(k) && !(at.length === 0 && k === 'name');
    return Object.entries(value).flatMap(([k, v]) => (NOT_SHOWN_UNDER.has(k) ? [] : shownStrings(v, [...at, k], shownHere(k))));
  }
  return [];
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('l10n: the manifest and the string bundle', () => {
  const manifest = read('package.json');
  const nls = read('package.nls.json') as Record<string, string>;

  it('names every shown manifest string as a %key% of package.nls.json', () => {
    const shown = shownStrings(manifest);
    assert.ok(shown.length > 60, `only ${shown.length} shown strings found: the walk misses the manifest's shape`);
    const literal = shown.filter((s) => !/^%[\w.-]+%$/.test(s.value)).map((s) => `${s.at}: ${s.value}`);
    assert.deepEqual(literal, [], 'Move these to package.nls.json and write "%key%" in package.json');
    const missing = shown.filter((s) => !(s.value.slice(1, -1) in nls)).map((s) => `${s.at}: ${s.value}`);
    assert.deepEqual(missing, [], 'These %key%s have no text in package.nls.json');
  });

  it('has no text in package.nls.json that the manifest does not use', () => {
    const used = new Set(shownStrings(manifest).map((s) => s.value.slice(1, -1)));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
  });

  it('declares its string bundle folder, and l10n/bundle.l10n.json lists exactly the messages of src (run npm run l10n after changing one)', async () => {
    assert.equal(manifest.l10n, './l10n');
    const files = sources(path.join(repo, 'src')).map((f) => ({ contents: fs.readFileSync(f, 'utf8'), extension: '.ts' }));
    const extracted = await getL10nJson(files);
    const committed = read(path.join('l10n', 'bundle.l10n.json'));
    const missing = Object.keys(extracted).filter((k) => !(k in committed));
    const stale = Object.keys(committed).filter((k) => !(k in extracted));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
    assert.ok(Object.keys(extracted).length > 300, 'the extractor found almost no messages: are calls written as vscode.l10n.t / l10n.t?');
  });
});

describe('l10n: every message can be filled', () => {
  it('has each {n} placeholder where VS Code fills it (not inside other braces, which it leaves as they are)', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repo, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const unfilled: string[] = [];
    for (const message of Object.keys(bundle)) {
      // The pattern of vscode.l10n.t and @vscode/l10n: the first "{…}" a brace opens is one group.
      const filled = new Set<string>();
      message.replace(/{([^}]+)}/g, (whole, group: string) => (/^\d+$/.test(group) ? (filled.add(whole), whole) : whole));
      for (const wanted of message.match(/\{\d+\}/g) ?? []) if (!filled.has(wanted)) unfilled.push(`${wanted} in ${message}`);
    }
    assert.deepEqual(unfilled, []);
  });
});
