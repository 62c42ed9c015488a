// Deciding when `npm ci` is needed: node_modules missing or not what the lockfile says.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockfileMismatches } from '../../../scripts/setup/npmDependencies.mjs';

describe('set-up: npm dependencies against the lockfile', () => {
  let root;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-deps-test-'));
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'x' },
        'node_modules/a': { version: '1.0.0' },
        'node_modules/a/node_modules/b': { version: '2.0.0' },
        'node_modules/@esbuild/win32-x64': { version: '0.1.0', optional: true },
      },
    };
    fs.writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify(lock));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const install = (where, version) => {
    fs.mkdirSync(path.join(root, where), { recursive: true });
    fs.writeFileSync(path.join(root, where, 'package.json'), JSON.stringify({ version }));
  };

  it('no node_modules: install', () => {
    assert.deepEqual(lockfileMismatches(root), ['node_modules is missing']);
  });

  it('a package missing or at another version: install, and say which', () => {
    install('node_modules/a', '1.0.0');
    assert.deepEqual(lockfileMismatches(root), ['a/node_modules/b is not installed']);
    install('node_modules/a/node_modules/b', '1.9.0');
    assert.deepEqual(lockfileMismatches(root), ['a/node_modules/b is 1.9.0, the lockfile says 2.0.0']);
  });

  it('everything at its locked version (optional packages of other platforms absent): nothing to do', () => {
    install('node_modules/a', '1.0.0');
    install('node_modules/a/node_modules/b', '2.0.0');
    assert.deepEqual(lockfileMismatches(root), []);
  });

  it("this repository's own node_modules matches its lockfile (npm test just checked it)", () => {
    const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
    assert.deepEqual(lockfileMismatches(repoRoot), []);
  });
});
