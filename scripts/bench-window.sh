#!/usr/bin/env bash
# The window's benchmarks (docs/benchmarks.md): cold start to an interactive list of 10,000
# cached users, idle memory (PSS) of the app's process tree, and keystroke-to-filtered-list
# latency with 100,000 cached users. Run it inside a display and a keyring session:
#   scripts/session.sh --display -- scripts/bench-window.sh SERVER_BIN CLI_BIN APP_BIN
set -euo pipefail
server=$1 cli=$2 app=$(realpath "$3")
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d -t amorphic-su-bench.XXXXXX)
driver=""
cleanup() { kill $driver ${SERVER_PID:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tauri-driver --port "$port" --native-port "$((port + 1))" >"$work/tauri-driver.log" 2>&1 &
driver=$!

for users in 10000 100000; do
  echo "== $users generated service users: seeding the server and filling the cache"
  rm -f "$work"/server.db*
  start_server "$server" "$work/server.db" "generated:$users" 127.0.0.1:0 "$work/server.log"
  sign_in_demo "$cli" "$SERVER_URL"
  /usr/bin/time -f "   first sync: %e s" "$cli" --profile demo sync >/dev/null
  AMORPHIC_SU_APP="$app" TAURI_DRIVER_PORT="$port" BENCH_USERS="$users" \
    node ui/tests/window/bench/window-bench.mjs
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
