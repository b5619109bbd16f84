#!/usr/bin/env bash
# `make run`: the reference server on an embedded SQLite database with the demo seed, a "demo"
# environment signed in to it, then the app.
#   scripts/run-demo.sh SERVER_BIN CLI_BIN APP_BIN RUN_DIR SEED LISTEN
set -euo pipefail
server=$1 cli=$2 app=$3 run_dir=$4 seed=$5 listen=$6
source "$(dirname "$0")/lib.sh"
mkdir -p "$run_dir"

start_server "$server" "$run_dir/demo.db" "$seed" "$listen" "$run_dir/server.log"
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
echo "Reference server with demo data at $SERVER_URL (log: $run_dir/server.log)"
sign_in_demo "$cli" "$SERVER_URL"
echo "Signed in to the \"demo\" environment as alice (super-admin role)"
"$app"
