# Helpers to run a portal in the background (scripts/e2e.sh, scripts/adopter-e2e.sh): wait for it
# to answer and stop it with everything it started. The caller starts the portal with setsid, so
# that PORTAL_PID leads a process group holding the backend and the frontend server.
PORTAL_PID=""

# wait_for <url> <seconds> <log>: until the url answers, failing early when the portal exits.
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

stop_portal() {
  if [ -n "$PORTAL_PID" ]; then
    kill -TERM -- "-$PORTAL_PID" 2>/dev/null || true
    pkill -TERM -P "$PORTAL_PID" 2>/dev/null || true
    kill -TERM "$PORTAL_PID" 2>/dev/null || true
    wait "$PORTAL_PID" 2>/dev/null || true
  fi
  PORTAL_PID=""
}
