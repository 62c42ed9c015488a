// `npm run test:vscode`: the extension-host suite (out/test/suite) in a real VS Code.
import * as path from 'node:path';
import { repoRoot, testExtensionFolder } from './codeServer';
import { exitWith, HOST_TEST_KEY, runHostSuite } from './hostSuite';

exitWith(
  runHostSuite({
    name: 'vscode-host',
    extensionDevelopmentPath: testExtensionFolder(),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
    env: { ANTHROPIC_API_KEY: HOST_TEST_KEY },
  }),
);
