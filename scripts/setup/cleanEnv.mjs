// The environment for an install that runs inside another npm command.
//
// `npm test` and `npm start` export their own configuration to the scripts they run:
// `npm_config_*` (among them `npm_config_user_agent`, which names the outer Node), the script's
// `npm_lifecycle_*` and `npm_package_*`, `npm_execpath`, `npm_node_execpath` and `INIT_CWD`.
// A nested `npm install` inherits all of it. code-server's postinstall reads the Node version
// from that user agent and refuses to install when the outer npm ran on Node 20, even though the
// nested install runs on Node 24. So every nested install starts from an environment without any
// of them, and sets explicitly the few settings it needs.

const NPM_PREFIXES = ['npm_config_', 'npm_lifecycle_', 'npm_package_'];
const NPM_NAMES = new Set(['npm_execpath', 'npm_node_execpath', 'init_cwd', 'npm_command']);

/** True for a variable that an outer npm sets for the scripts it runs. */
export function isNpmVariable(name) {
  const lower = name.toLowerCase();
  return NPM_NAMES.has(lower) || NPM_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * A copy of `env` without the outer npm's variables, plus `settings` (npm configuration, without
 * the `npm_config_` prefix). The npm cache location is the one thing carried over from the outer
 * npm: it is where packages come from, not how the install behaves.
 */
export function cleanInstallEnv(env = process.env, settings = {}) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isNpmVariable(name)) clean[name] = value;
  }
  const cache = env.npm_config_cache ?? env.NPM_CONFIG_CACHE;
  if (cache) clean.npm_config_cache = cache;
  const base = { audit: 'false', fund: 'false', update_notifier: 'false', loglevel: 'error' };
  for (const [key, value] of Object.entries({ ...base, ...settings })) clean[`npm_config_${key}`] = String(value);
  return clean;
}
