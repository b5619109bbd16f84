#!/usr/bin/env bash
# The window's benchmarks (docs/benchmarks.md, "The window"): cold start to an interactive list of
# cached users, idle memory (PSS) of the app's process tree and keystroke-to-filtered-list latency,
# beside the same figures of an empty Tauri 2 window (examples/empty_window.rs, built here with the
# app's release profile) measured the same way in the same run. Run it inside a display and a
# keyring session:
#   scripts/session.sh --display -- scripts/bench-window.sh SERVER_BIN CLI_BIN APP_BIN [EMPTY_BIN]
# BENCH_USERS: the generated service users cached (default 10000; 1000000 seeds for minutes).
# BENCH_EMPTY: 1 measures the empty window, 0 does not (default: only when BENCH_USERS is 10000).
# Prints FIGURE lines (make bench collects them) and a table per run.
set -euo pipefail
server=$1 cli=$2 app=$(realpath "$3")
cd "$(dirname "$0")/.."
source scripts/lib.sh
users=${BENCH_USERS:-10000}
measure_empty=${BENCH_EMPTY:-$([[ $users == 10000 ]] && echo 1 || echo 0)}
empty=${4:-}
if [[ $measure_empty == 1 && -z "$empty" ]]; then
  # The app's own release profile and features (tauri build adds tauri/custom-protocol), so the
  # example shares every compiled dependency with the app; a no-op when it is up to date.
  echo "== building the empty Tauri window (examples/empty_window.rs, release)"
  start=$SECONDS
  cargo build --release --features tauri/custom-protocol --example empty_window --quiet
  echo "   built in $((SECONDS - start)) s"
  empty=${CARGO_TARGET_DIR:-target}/release/examples/empty_window
fi
[[ -n "$empty" ]] && empty=$(realpath "$empty")

work=$(mktemp -d -t amorphic-su-bench.XXXXXX)
driver=""
cleanup() { kill $driver ${SERVER_PID:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tauri-driver --port "$port" --native-port "$((port + 1))" >"$work/tauri-driver.log" 2>&1 &
driver=$!
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $measure_empty == 1 ]]; then
  echo "== an empty Tauri 2 window ($empty)"
  AMORPHIC_SU_APP="$empty" TAURI_DRIVER_PORT="$port" BENCH_MODE=empty BENCH_USERS="$users" \
    node ui/tests/window/bench/window-bench.mjs
fi

echo "== $users generated service users: seeding the server and filling the cache"
start=$SECONDS
start_server "$server" "$work/server.db" "generated:$users" 127.0.0.1:0 "$work/server.log"
echo "   server seeded in $((SECONDS - start)) s"
sign_in_demo "$cli" "$SERVER_URL"
/usr/bin/time -f "   first sync: %e s" "$cli" --profile demo sync >/dev/null
AMORPHIC_SU_APP="$app" TAURI_DRIVER_PORT="$port" BENCH_MODE=app BENCH_USERS="$users" \
  node ui/tests/window/bench/window-bench.mjs
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
