# ./dev test: type check, lint, unit tests of every package, then the end-to-end tests against
# the sandbox and the running portal in Debian's Chromium.
set -euo pipefail
source scripts/sandbox.sh

step() { printf '\n==> %s\n' "$*"; }

step "type check"
yarn tsc --noEmit

step "config schema"
yarn backstage-cli config:check --strict

step "lint"
yarn backstage-cli repo lint

step "unit tests"
yarn backstage-cli repo test --watchAll=false --maxWorkers=2

step "end-to-end tests"
bash scripts/e2e.sh
