# ./dev test: type check, lint, unit tests of every package, then the end-to-end tests against
# the sandbox and the running portal in Debian's Chromium.
set -euo pipefail
source scripts/sandbox.sh

step() { printf '\n==> %s\n' "$*"; }

# Not incremental: an incremental build re-checks only some files, which can order the members of
# inferred union types differently in the declarations the API reports are made from.
step "type check (and the type declarations the API reports read)"
yarn tsc --incremental false

step "API reports (yarn build:api-reports regenerates them)"
yarn build:api-reports:only --ci

step "package metadata for publishing"
yarn backstage-cli repo fix --publish --check

step "unused and unlisted dependencies"
yarn lint:deps

step "config schema"
yarn backstage-cli config:check --strict

step "lint"
yarn backstage-cli repo lint

step "unit tests"
yarn backstage-cli repo test --watchAll=false --maxWorkers=2

step "end-to-end tests"
bash scripts/e2e.sh
