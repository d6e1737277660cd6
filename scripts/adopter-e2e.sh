#!/usr/bin/env bash
# The adopter end-to-end test, a CI step after ./dev test (.ci/run). In a temporary folder: pack
# the published packages, create a new portal with @backstage/create-app of this repository's
# Backstage release, install the tarballs and wire them up as README's install section says
# (test/adopter reads its marked blocks), point the portal at the sandbox, start it and run the
# Playwright specs of test/adopter. Prints how long each phase took.
#   bash scripts/adopter-e2e.sh [playwright args]     ADOPTER_KEEP=1 keeps the folder
set -euo pipefail
export ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/sandbox.sh
source scripts/portal.sh

# @backstage/create-app of the release in backstage.json (1.55.0); `prepare` checks that the
# portal it creates says the same release.
CREATE_APP_VERSION=0.9.2

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is required for the adopter end-to-end test: apt-get install -y chromium" >&2
  exit 1
fi

WORK="$(mktemp -d -t adopter-e2e.XXXXXX)"
PORTAL="$WORK/portal"
TARBALLS="$WORK/tarballs"

TIMINGS=()
START_ALL=$SECONDS
phase_start=$SECONDS
phase() {
  if [ -n "${phase_name:-}" ]; then
    TIMINGS+=("$(printf '%-12s %4d s' "$phase_name" $((SECONDS - phase_start)))")
  fi
  phase_name="$1"
  phase_start=$SECONDS
  [ "$1" = done ] || printf '\n==> adopter e2e: %s\n' "$1"
}
report() {
  [ -n "${phase_name:-}" ] || return 0
  phase done
  printf '\n==> adopter e2e phases\n'
  printf '  %s\n' "${TIMINGS[@]}"
  printf '  %-12s %4d s\n' total $((SECONDS - START_ALL))
}
cleanup() {
  report
  stop_portal
  stop_sandbox
  if [ -z "${ADOPTER_KEEP:-}" ]; then rm -rf "$WORK"; else echo "==> kept $WORK"; fi
}
trap cleanup EXIT INT TERM

adopter() {
  (cd test/adopter && node --require @backstage/cli/config/nodeTransform.cjs src/cli.ts "$@")
}
# The new portal is its own Yarn project: its lockfile is made here, even in CI.
in_portal() {
  (cd "$PORTAL" && YARN_ENABLE_IMMUTABLE_INSTALLS=false "$@")
}

phase pack
yarn_install
yarn tsc
mkdir -p "$TARBALLS"
while read -r dir; do
  (cd "$dir" && yarn build && yarn pack --out "$TARBALLS/$(basename "$dir").tgz" >/dev/null)
done < <(adopter packages)

phase create-app
# From this repository's root: create-app checks `yarn -v`, which corepack answers from the
# packageManager of the nearest package.json (outside a project it looks up the newest Yarn).
BACKSTAGE_APP_NAME=portal npx --yes "@backstage/create-app@$CREATE_APP_VERSION" \
  --path "$PORTAL" --skip-install
released_at="$(npm view "@backstage/create-app" time --json |
  node -p "JSON.parse(require('fs').readFileSync(0, 'utf8'))['$CREATE_APP_VERSION']")"
adopter prepare "$PORTAL" "$TARBALLS"

phase install
# The portal's own packages as of the release: a create-app portal of an older release would
# otherwise take, within its caret ranges, packages of later releases (signals-backend 0.3.21
# needs a newer backend-defaults than 1.55's; api-docs 0.14.9 a second core-plugin-api). README's
# commands below then add the suite as they would to an adopter's portal, without the gate.
in_portal env YARN_NPM_MINIMAL_AGE_GATE="$(adopter gate-days "$released_at")d" \
  YARN_NPM_PREAPPROVED_PACKAGES= yarn install

phase wire
(export YARN_ENABLE_IMMUTABLE_INSTALLS=false && adopter wire "$PORTAL")

phase start
start_sandbox
portal_log="$WORK/portal.log"
echo "==> starting the adopter portal (log: $portal_log)"
(cd "$PORTAL" && exec setsid yarn start) >"$portal_log" 2>&1 &
PORTAL_PID=$!
wait_for http://localhost:7007/api/gitops/health 600 "$portal_log"
wait_for http://localhost:3000 900 "$portal_log"

phase playwright
yarn workspace @internal/gitops-adopter-e2e playwright test "$@"
