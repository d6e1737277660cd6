# Helpers to run the sandbox (test/sandbox) in the background while the portal or tests run.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export GITOPS_SANDBOX_DIR="${GITOPS_SANDBOX_DIR:-$ROOT/.sandbox}"
SANDBOX_PID=""

# The portal's config in local development and the end-to-end tests: the sandbox
# (app-config.yaml), guest sign-in (app-config.development.yaml, never used in production), and a
# developer's own app-config.local.yaml when there is one.
PORTAL_CONFIG=(--config "$ROOT/app-config.yaml" --config "$ROOT/app-config.development.yaml")
if [ -f "$ROOT/app-config.local.yaml" ]; then
  PORTAL_CONFIG+=(--config "$ROOT/app-config.local.yaml")
fi

start_sandbox() {
  mkdir -p "$GITOPS_SANDBOX_DIR"
  local log="$GITOPS_SANDBOX_DIR/sandbox.log"
  echo "==> starting the GitOps sandbox (log: ${log#"$ROOT"/})"
  yarn workspace @internal/gitops-sandbox start >"$log" 2>&1 &
  SANDBOX_PID=$!
  local waited=0
  until grep -q 'sandbox ready' "$log" 2>/dev/null; do
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
      echo "the sandbox failed to start:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    if [ "$waited" -ge 600 ]; then
      echo "the sandbox did not get ready within 60 s" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "==> sandbox ready"
}

stop_sandbox() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill -- "$SANDBOX_PID" 2>/dev/null || true
    pkill -P "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  SANDBOX_PID=""
}
