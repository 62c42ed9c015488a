// `npm run test:desktop`: the same extension-host suite in desktop VS Code, downloaded by
// @vscode/test-electron. Needs internet access (and a display, or xvfb-run, on Linux); on machines
// without it use `npm run test:vscode`, which runs the suite in code-server.
import { runTests } from '@vscode/test-electron';
import * as path from 'node:path';
import { copyFixture, repoRoot, testExtensionFolder } from './codeServer';

import { HOST_TEST_KEY } from './hostSuite';

async function main(): Promise<void> {
  const workspace = copyFixture('workspace');
  await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: testExtensionFolder(),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: {
      ANTHROPIC_API_KEY: HOST_TEST_KEY,
      ANTHROPIC_BASE_URL: undefined,
      CLAUDE_BATCHES_TEST_WORKSPACE: workspace,
      CLAUDE_BATCHES_REPO: repoRoot,
    },
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
