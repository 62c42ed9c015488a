// The floor build's ripgrep: @vscode/ripgrep finds an archive in its download cache and never
// asks GitHub for one.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNamed, seedRipgrep } from '../../../scripts/setup/codeServer.mjs';

describe('set-up: ripgrep for the floor build', () => {
  let dir;
  let fakeRg;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-rg-'));
    fakeRg = path.join(dir, 'system-rg');
    fs.writeFileSync(fakeRg, '#!/bin/sh\necho ripgrep 13.0.0\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("puts an archive holding rg at its root where @vscode/ripgrep's postinstall looks first", () => {
    const spec = { packageVersion: '1.15.9', release: 'v13.0.0-10', target: 'x86_64-unknown-linux-musl' };
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const archive = seedRipgrep(tmp, spec, () => {}, fakeRg);
    // download.js: path.join(os.tmpdir(), `vscode-ripgrep-cache-${packageVersion}`), asset `ripgrep-${version}-${target}.tar.gz`.
    assert.equal(archive, path.join(tmp, 'vscode-ripgrep-cache-1.15.9', 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'));
    const listed = spawnSync('tar', ['tzvf', archive], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const entries = listed.stdout.trim().split('\n');
    assert.equal(entries.length, 1, listed.stdout);
    assert.match(entries[0], /^-rwxr-xr-x .* rg$/, 'one executable rg at the root');
    // Nothing else is left in the temporary folder the install uses.
    assert.deepEqual(fs.readdirSync(tmp), ['vscode-ripgrep-cache-1.15.9']);
  });

  it('says how to install ripgrep when the machine has none', () => {
    assert.throws(() => seedRipgrep(dir, buildNamed('floor').ripgrep, () => {}, null /* none found */), /install the Debian package ripgrep/);
  });
});
