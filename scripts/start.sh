# ./dev start: the GitOps sandbox, then the portal (backend :7007, frontend :3000).
# Sourced environment comes from ./dev. The portal's default config (app-config.yaml) points at
# the sandbox; nothing in the plugins knows it is a sandbox. Guest sign-in comes from
# app-config.development.yaml (see PORTAL_CONFIG in sandbox.sh).
set -euo pipefail
source scripts/sandbox.sh

start_sandbox
trap stop_sandbox EXIT INT TERM
yarn backstage-cli repo start "${PORTAL_CONFIG[@]}" "$@"
