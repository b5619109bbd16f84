#!/usr/bin/env bash
# Runs the real-window tests: tauri-driver + WebKitWebDriver against the built app.
# Expects a display and a session bus (scripts/session.sh --display -- scripts/window-e2e.sh APP SHOTS).
set -euo pipefail
app=$(realpath "$1"); shots=${2:-}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[[ -n "$shots" ]] && mkdir -p "$shots"
tauri-driver --port "$port" >/tmp/tauri-driver.$$.log 2>&1 &
driver=$!
trap 'kill $driver 2>/dev/null || true; wait $driver 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
AMORPHIC_SU_APP="$app" TAURI_DRIVER_PORT="$port" AMORPHIC_SU_SCREENSHOTS="${shots:+$(realpath "$shots")}" \
  node --test --test-concurrency=1 ui/e2e/
