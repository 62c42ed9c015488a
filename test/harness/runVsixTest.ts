// Packages the extension with vsce, installs the .vsix into a fresh code-server, and runs
// out/test/vsix there. The extension under development is an empty probe, so what is tested is
// the installed package.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './codeServer';
import { exitWith, runHostSuite } from './hostSuite';

const vsix = path.join(repoRoot, 'dist-vsix', 'claude-batches.vsix');
const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
if (packaged.status !== 0) {
  console.error('npm run package failed');
  process.exit(1);
}

exitWith(
  runHostSuite({
    name: 'vsix',
    installVsix: vsix,
    extensionDevelopmentPath: path.join(repoRoot, 'test', 'fixtures', 'probe-extension'),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'vsix', 'index.js'),
    env: { ANTHROPIC_API_KEY: undefined },
    timeoutMinutes: 5,
  }),
);
