// The floor tier's runner extension: whatever happens when it loads, the tier hears of it at once
// through the result file, never by waiting out its time-out.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runnerStub } from '../../harness/runFloorTests';

describe('the floor runner extension', () => {
  let dir: string;
  let result: string;
  const saved = process.env.CLAUDE_BATCHES_FLOOR_RESULT;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-floor-stub-'));
    result = path.join(dir, 'result.json');
    process.env.CLAUDE_BATCHES_FLOOR_RESULT = result;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CLAUDE_BATCHES_FLOOR_RESULT;
    else process.env.CLAUDE_BATCHES_FLOOR_RESULT = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function stubWith(runnerSource: string): { activate(): unknown } {
    fs.writeFileSync(path.join(dir, 'runner.js'), runnerSource);
    fs.writeFileSync(path.join(dir, 'extension.js'), runnerStub(path.join(dir, 'runner.js')));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(dir, 'extension.js')) as { activate(): unknown };
  }

  it('hands activation to the runner when it loads', () => {
    const stub = stubWith("exports.activate = () => 'running';\n");
    assert.equal(stub.activate(), 'running');
    assert.equal(fs.existsSync(result), false, 'the runner writes the result, not the stub');
  });

  it('reports a runner that cannot load as a failed run, with the reason, and still fails activation', () => {
    const stub = stubWith("throw new Error('require() of ES Module mocha not supported');\n");
    assert.throws(() => stub.activate(), /require\(\) of ES Module mocha not supported/);
    const outcome = JSON.parse(fs.readFileSync(result, 'utf8')) as { passed: boolean; error: string };
    assert.equal(outcome.passed, false);
    assert.match(outcome.error, /^The floor runner could not load: Error: require\(\) of ES Module mocha not supported/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['extension.js', 'result.json', 'runner.js'], 'no partial file left');
  });
});
