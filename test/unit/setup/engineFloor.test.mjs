// The oldest VS Code the extension claims (engines.vscode) is the one every check uses: the
// compile (against @types/vscode, so an API newer than the floor is a type error in the lint and
// type step) and the floor tier (code-server's `floor` build, where the suite runs again).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDS, buildNamed } from '../../../scripts/setup/codeServer.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));
const majorMinor = (version) => version.split('.').slice(0, 2).join('.');

describe('the VS Code engine floor', () => {
  const manifest = readJson('package.json');
  const engine = manifest.engines.vscode;

  it('is written ^major.minor.0: every patch release of the floor is supported', () => {
    assert.match(engine, /^\^\d+\.\d+\.0$/, `engines.vscode is "${engine}"`);
  });

  it('is the version of @types/vscode, pinned exactly: the compile sees only the floor\'s API', () => {
    const types = manifest.devDependencies['@types/vscode'];
    // A range (^1.90.0) would let npm install newer typings, and the compile would then accept
    // APIs the floor does not have.
    assert.match(types, /^\d+\.\d+\.\d+$/, `@types/vscode is "${types}" in devDependencies: pin an exact version`);
    assert.equal(engine, `^${majorMinor(types)}.0`, `engines.vscode is ${engine} but @types/vscode is ${types}: raise or lower them together`);
  });

  it('is what the compile type-checks against: the installed @types/vscode is the pinned one', () => {
    const installed = readJson('node_modules/@types/vscode/package.json').version;
    assert.equal(installed, manifest.devDependencies['@types/vscode'], 'node_modules differs from package.json: run npm ci');
    const lock = readJson('package-lock.json').packages['node_modules/@types/vscode'].version;
    assert.equal(lock, manifest.devDependencies['@types/vscode'], 'package-lock.json differs from package.json: run npm install');
  });

  it('is the VS Code the floor tier runs (code-server\'s floor build)', () => {
    const floor = buildNamed('floor');
    assert.equal(`^${majorMinor(floor.vscode)}.0`, engine, `the floor build is code-server ${floor.codeServer} (VS Code ${floor.vscode}), engines.vscode is ${engine}`);
    // The current build is newer: the floor tier would prove nothing if it ran the same VS Code.
    assert.notEqual(BUILDS.current.codeServer, floor.codeServer);
  });

  it('names an unknown build in its error', () => {
    assert.throws(() => buildNamed('newest'), /Unknown code-server build "newest": use one of current, floor/);
  });
});
