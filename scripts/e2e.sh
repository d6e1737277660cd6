# End-to-end tests: start the sandbox and the portal, run Playwright (test/e2e) in Debian's
# Chromium, stop everything.
set -euo pipefail
source scripts/sandbox.sh
source scripts/portal.sh

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is required for the end-to-end tests: apt-get install -y chromium" >&2
  exit 1
fi

cleanup() {
  stop_portal
  stop_sandbox
}
trap cleanup EXIT INT TERM

start_sandbox
portal_log="$GITOPS_SANDBOX_DIR/portal.log"
echo "==> starting the portal (log: ${portal_log#"$ROOT"/})"
setsid yarn backstage-cli repo start "${PORTAL_CONFIG[@]}" >"$portal_log" 2>&1 &
PORTAL_PID=$!
wait_for http://localhost:7007/api/gitops/health 300 "$portal_log"
wait_for http://localhost:3000 600 "$portal_log"

yarn workspace @internal/gitops-e2e playwright test "$@"
