// Packages the extension with vsce, installs the .vsix into a fresh code-server, and runs
// out/test/vsix there. The extension under development is an empty probe, so what is tested is
// the installed package.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './codeServer';
import { exitWith, runHostSuite } from './hostSuite';

const vsix = path.join(repoRoot, 'dist-vsix', 'claude-batches.vsix');
const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
process.stdout.write(packaged.stdout ?? '');
process.stderr.write(packaged.stderr ?? '');
if (packaged.status !== 0) {
  console.error('npm run package failed');
  process.exit(1);
}
// A package the marketplace takes as it is: vsce warns of what it would show badly (a missing
// repository, a relative picture it rewrites, an SVG, an unknown category).
const warnings = `${packaged.stdout}\n${packaged.stderr}`.split('\n').filter((line) => /\bWARNING\b/i.test(line));
if (warnings.length) {
  console.error(`vsce package warned:\n${warnings.join('\n')}`);
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
