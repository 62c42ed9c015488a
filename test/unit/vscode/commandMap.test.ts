// The command map (src/vscode/commands/commandIds.ts) against package.json, in plain Node: what the
// extension registers and what the manifest contributes must be the same commands, each titled,
// and each either in the Command Palette or hidden from it on purpose.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, CommandIds } from '../../../src/vscode/commands/commandIds';

interface Contributed {
  command: string;
  title?: string;
  category?: string;
}
interface MenuEntry {
  command?: string;
  submenu?: string;
  when?: string;
}
interface Manifest {
  contributes: {
    commands: Contributed[];
    menus: Record<string, MenuEntry[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { contents: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
// Titles are %keys% of package.nls.json (the English strings): read as VS Code shows them.
const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;
const shown = (text: string | undefined) => (text && /^%.+%$/.test(text) ? nls[text.slice(1, -1)] : text);
const contributed = manifest.contributes.commands.map((c) => ({ ...c, title: shown(c.title), category: shown(c.category) }));
const entries = Object.entries(COMMANDS).map(([id, entry]) => ({ id, ...entry }));
const mapped = new Set(entries.map((e) => e.id));

describe('command map against package.json', () => {
  it('every contributed command is in the map, and every command of the map is contributed, once', () => {
    const ids = contributed.map((c) => c.command);
    assert.deepEqual([...ids].sort(), [...mapped].sort());
    assert.equal(new Set(ids).size, ids.length, 'a command is contributed twice');
  });

  it('CommandIds names every command of the map, once', () => {
    const named = Object.values(CommandIds);
    assert.deepEqual([...named].sort(), [...mapped].sort());
    assert.equal(new Set(named).size, named.length, 'two names for one command');
  });

  it('every command has a real title and the "Claude Batches" category', () => {
    for (const command of contributed) {
      assert.ok((command.title ?? '').trim().length > 3, `${command.command} has no real title`);
      assert.equal(command.category, 'Claude Batches', `${command.command} has no category`);
    }
  });

  it('palette visibility is explicit: hidden commands say why in the map and are `when: false` in package.json, the others are not hidden', () => {
    const palette = manifest.contributes.menus.commandPalette ?? [];
    const hiddenInManifest = new Set(palette.filter((m) => m.when === 'false').map((m) => m.command));
    for (const entry of entries) {
      if (entry.hiddenFromPalette !== undefined) {
        assert.ok(entry.hiddenFromPalette.trim().length > 10, `${entry.id} is hidden from the palette without saying why`);
        assert.ok(hiddenInManifest.has(entry.id), `${entry.id} is hidden in the map but shown in the palette (add {"command": "${entry.id}", "when": "false"} to menus.commandPalette)`);
      } else {
        assert.ok(!hiddenInManifest.has(entry.id), `${entry.id} is hidden from the palette in package.json but not in the map (say why with hiddenFromPalette)`);
      }
    }
    for (const m of palette) assert.ok(m.when !== undefined, `menus.commandPalette lists ${m.command} without a when clause`);
  });

  it('menus, key bindings and welcome links name only commands of the map', () => {
    const named: [string, string][] = [];
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) for (const item of items) if (item.command) named.push([`menus.${menu}`, item.command]);
    for (const binding of manifest.contributes.keybindings ?? []) named.push(['keybindings', binding.command]);
    for (const welcome of manifest.contributes.viewsWelcome ?? []) {
      for (const link of welcome.contents.matchAll(/\(command:([^)?\s]+)/g)) named.push(['viewsWelcome', link[1]]);
    }
    assert.ok(named.length > 10, 'the manifest was read');
    for (const [where, id] of named) assert.ok(mapped.has(id), `${where} names ${id}, which is not in the command map`);
  });
});
