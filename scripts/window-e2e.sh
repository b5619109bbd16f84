#!/usr/bin/env bash
# The real-window tests: tauri-driver + WebKitWebDriver drive the built app against a real
# reference server. First ui/tests/window/flow.test.mjs, with no environment configured: it signs in
# through the window and runs the whole service-user flow. Then the CLI signs in a "demo"
# environment and ui/tests/window/window.test.mjs runs on it, then ui/tests/window/tray.test.mjs (the tray menu and
# the expiry notification over D-Bus: the test plays the desktop's StatusNotifierWatcher and
# notification server, so it needs this session bus to have neither), then
# ui/tests/window/hygiene.test.mjs (no secret outside the keychain), then
# ui/tests/window/access-tokens.test.mjs (revoking two PATs from the dashboard), then
# ui/tests/window/journal.test.mjs (the journal page, its exports and its chain),
# ui/tests/window/diagnostics.test.mjs (the Diagnostics page, healthy and with a wrong path) and last
# ui/tests/window/identity.test.mjs (which stops the server). Each test file starts a fresh app
# process.
# Run it inside a display and a keyring session:
#   scripts/session.sh --display -- scripts/window-e2e.sh SERVER_BIN CLI_BIN APP_BIN SCREENSHOT_DIR
set -euo pipefail
server=$1 cli=$2 app=$(realpath "$3") shots=${4:-}
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d -t amorphic-su-e2e.XXXXXX)
start_server "$server" "$work/server.db" crates/server/seed/demo-seed.json 127.0.0.1:0 "$work/server.log"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The app starts its built-in demo environment when none is configured; these tests bring their own.
# The app (started by tauri-driver, whose environment it inherits) asks the server about its
# assumed identities every few seconds instead of every three minutes, so that a change made
# outside the app shows within a bounded, short time (tray.test.mjs waits at most this long).
export AMORPHIC_SU_IDENTITY_CHECK_SECONDS=5
# The app's temporary files go to the work folder, which hygiene.test.mjs searches for secrets.
mkdir -p "$work/tmp"
AMORPHIC_SU_NO_DEMO=1 TMPDIR="$work/tmp" tauri-driver --port "$port" --native-port "$((port + 1))" >"$work/tauri-driver.log" 2>&1 &
driver=$!
trap 'kill $driver $SERVER_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
[[ -n "$shots" ]] && mkdir -p "$shots"
run_tests() {
  AMORPHIC_SU_APP="$app" AMORPHIC_SU_CLI="$cli" TAURI_DRIVER_PORT="$port" AMORPHIC_SU_SERVER_URL="$SERVER_URL" \
    AMORPHIC_SU_SCREENSHOTS="${shots:+$(realpath "$shots")}" \
    node --test --test-concurrency=1 "$@"
}
status=0
run_tests ui/tests/window/flow.test.mjs || status=$?
sign_in_demo "$cli" "$SERVER_URL"
run_tests ui/tests/window/window.test.mjs || status=$?
run_tests ui/tests/window/tray.test.mjs || status=$?
# The command palette assumes a service user by keyboard alone (still the CLI's demo sign-in).
run_tests ui/tests/window/palette.test.mjs || status=$?
# Bulk changes: a filtered disable's dry run (one refused by the policy) with its results checked on
# the server, and a bulk delete with a transfer user (still the CLI's sign-in; it leaves no user behind).
run_tests ui/tests/window/bulk.test.mjs || status=$?
# Secret hygiene: the window signs in (after the CLI signs the environment out), assumes, creates a
# PAT; then no secret of the run is in any file, log, command line or environment of the run.
AMORPHIC_SU_SERVER_PID=$SERVER_PID run_tests ui/tests/window/hygiene.test.mjs || status=$?
sign_in_demo "$cli" "$SERVER_URL"
# The access-token dashboard: two PATs made by the CLI revoked together from the window, checked on
# the server with the CLI and GET /fleet/access-tokens.
run_tests ui/tests/window/access-tokens.test.mjs || status=$?
# The journal: what the window did is listed and exported (CSV and JSON, the same rows); a changed
# byte of its file makes `history verify` fail naming the entry.
run_tests ui/tests/window/journal.test.mjs || status=$?
# Diagnostics: every check passes as the CLI's doctor says; a wrong stage path in the configuration
# fails the Base URL check naming where the API answers; the report is copied; put back, all pass.
run_tests ui/tests/window/diagnostics.test.mjs || status=$?
# Who the window acts as: a password session with no default role, so the role switch is the test's.
"$cli" profile edit demo --no-default-role >/dev/null
# Its last step stops the server (offline).
AMORPHIC_SU_SERVER_PID=$SERVER_PID run_tests ui/tests/window/identity.test.mjs || status=$?
exit "$status"
