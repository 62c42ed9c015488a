// `npm run test:vscode`: the extension-host suite (out/test/suite) in a real VS Code.
import * as path from 'node:path';
import { repoRoot } from './codeServer';
import { exitWith, runHostSuite } from './hostSuite';

/** A key the suite knows; it never leaves this machine (the suite only talks to loopback). */
export const HOST_TEST_KEY = 'sk-ant-host-suite-0000000000';

exitWith(
  runHostSuite({
    name: 'vscode-host',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    env: { ANTHROPIC_API_KEY: HOST_TEST_KEY },
  }),
);
