// The environment nested installs run in: none of the outer npm's variables survive.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanInstallEnv, isNpmVariable } from '../../../scripts/setup/cleanEnv.mjs';

/** What `npm test` (npm 11 on Node 20) exports to the script it runs. */
export function npmLikeEnv(base = process.env) {
  return {
    ...base,
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr',
    npm_config_global_prefix: '/usr/local',
    npm_config_cache: base.npm_config_cache ?? '/root/.npm',
    NPM_CONFIG_IGNORE_SCRIPTS: 'true',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node test/harness/run-all.mjs',
    npm_package_name: 'claude-batches',
    npm_package_version: '0.1.0',
    npm_package_json: '/somewhere/package.json',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_command: 'test',
    INIT_CWD: '/somewhere',
  };
}

describe('set-up: the clean install environment', () => {
  it('drops every variable an outer npm sets, whatever its case', () => {
    const env = cleanInstallEnv(npmLikeEnv({ PATH: '/bin', HOME: '/root' }));
    const leaked = Object.keys(env).filter((name) => isNpmVariable(name) && !['npm_config_cache', 'npm_config_audit', 'npm_config_fund', 'npm_config_update_notifier', 'npm_config_loglevel'].includes(name));
    assert.deepEqual(leaked, []);
    assert.equal(env.PATH, '/bin');
    assert.equal(env.HOME, '/root');
    assert.equal(env.INIT_CWD, undefined);
    assert.equal(env.NPM_CONFIG_IGNORE_SCRIPTS, undefined);
    assert.equal(env.npm_config_user_agent, undefined);
  });

  it('keeps the npm cache location and sets its own settings explicitly', () => {
    const env = cleanInstallEnv({ ...npmLikeEnv({ PATH: '/bin' }), npm_config_cache: '/tmp/cold-cache' }, { nodedir: '/opt/node24' });
    assert.equal(env.npm_config_cache, '/tmp/cold-cache');
    assert.equal(env.npm_config_nodedir, '/opt/node24');
    assert.equal(env.npm_config_audit, 'false');
  });

  it('a nested npm started with it reports its own Node, not the outer one (the code-server failure)', function () {
    this.timeout(30_000);
    // An outer npm that ran on another Node than the nested one will.
    const outer = { ...npmLikeEnv(), npm_config_user_agent: 'npm/11.19.1 node/v18.0.0 linux x64 workspaces/false' };
    // What a package's install script sees (code-server's postinstall reads exactly this).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-ua-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ua', private: true, scripts: { ua: 'node -e "console.log(process.env.npm_config_user_agent)"' } }));
    const userAgent = (env) => {
      const result = spawnSync('npm', ['run', '--silent', 'ua'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout.trim();
    };
    try {
    // Control: inherited as is, the nested npm believes it runs on the outer Node.
    assert.match(userAgent(outer), /node\/v18\.0\.0/);
    const clean = userAgent(cleanInstallEnv(outer));
    assert.doesNotMatch(clean, /node\/v18\.0\.0/);
    assert.ok(clean.includes(`node/${process.version}`), clean);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
