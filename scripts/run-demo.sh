#!/usr/bin/env bash
# `make run`: the reference server on an embedded SQLite database with the demo seed, then the app.
#   scripts/run-demo.sh SERVER_BIN APP_BIN RUN_DIR SEED LISTEN
set -euo pipefail
server=$1 app=$2 run_dir=$3 seed=$4 listen=$5
mkdir -p "$run_dir"
log="$run_dir/server.log"

"$server" --listen "$listen" --db "$run_dir/demo.db" --seed "$seed" >"$log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT

url=""
for _ in $(seq 1 100); do
  url=$(sed -n '1s/^listening on //p' "$log")
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The reference server did not start (is $listen already in use?). Its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -n "$url" ]] || { echo "The reference server did not report its address within 10 s; see $log" >&2; exit 1; }
echo "Reference server with demo data at $url (log: $log)"

AMORPHIC_SU_DEMO_URL="$url" "$app"
