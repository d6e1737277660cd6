# End-to-end tests: start the sandbox and the portal, run Playwright (test/e2e) in Debian's
# Chromium, stop everything.
set -euo pipefail
source scripts/sandbox.sh

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is required for the end-to-end tests: apt-get install -y chromium" >&2
  exit 1
fi

PORTAL_PID=""
cleanup() {
  if [ -n "$PORTAL_PID" ]; then
    pkill -TERM -P "$PORTAL_PID" 2>/dev/null || true
    kill -TERM "$PORTAL_PID" 2>/dev/null || true
    wait "$PORTAL_PID" 2>/dev/null || true
  fi
  stop_sandbox
}
trap cleanup EXIT INT TERM

wait_for() {
  local url="$1" seconds="$2" log="$3"
  for _ in $(seq 1 "$seconds"); do
    if curl -fs -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
      echo "the portal exited before $url answered:" >&2
      tail -n 60 "$log" >&2
      return 1
    fi
    sleep 1
  done
  echo "$url did not answer within ${seconds} s" >&2
  tail -n 60 "$log" >&2
  return 1
}

start_sandbox
portal_log="$GITOPS_SANDBOX_DIR/portal.log"
echo "==> starting the portal (log: ${portal_log#"$ROOT"/})"
setsid yarn backstage-cli repo start "${PORTAL_CONFIG[@]}" >"$portal_log" 2>&1 &
PORTAL_PID=$!
wait_for http://localhost:7007/api/gitops/health 300 "$portal_log"
wait_for http://localhost:3000 600 "$portal_log"

yarn workspace @internal/gitops-e2e playwright test "$@"
