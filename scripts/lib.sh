# Shared by scripts/run-demo.sh and scripts/window-e2e.sh: source it, don't run it.

# start_server SERVER_BIN DB SEED LISTEN LOG: starts the reference server in the background,
# sets SERVER_PID and SERVER_URL (from its first line, "listening on http://HOST:PORT").
# SEED is a seed file, or "generated:N" for the demo seed plus N generated service users.
start_server() {
  local server=$1 db=$2 seed=$3 listen=$4 log=$5
  local seed_args=(--seed "$seed")
  [[ $seed == generated:* ]] && seed_args=(--demo-service-users "${seed#generated:}")
  "$server" --listen "$listen" --db "$db" "${seed_args[@]}" >"$log" 2>"$log.err" &
  SERVER_PID=$!
  SERVER_URL=""
  for _ in $(seq 1 1200); do
    SERVER_URL=$(sed -n '1s/^listening on //p' "$log")
    [[ -n "$SERVER_URL" ]] && return 0
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "The reference server did not start (is $listen already in use?). Its log:" >&2
      cat "$log.err" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "The reference server did not report its address within 60 s; see $log" >&2
  return 1
}

# sign_in_demo CLI_BIN URL: a "demo" environment signed in as the seed's super-admin alice
# (password from the demo seed, read from stdin so it shows in no process list). The session
# token goes to the OS keychain.
sign_in_demo() {
  local cli=$1 url=$2
  "$cli" profile remove demo >/dev/null 2>&1 || true
  "$cli" profile add demo --url "$url" --user alice --role SystemRole-SuperAdmin --color teal >/dev/null
  "$cli" profile use demo >/dev/null
  printf '%s' "alice-demo-password" | "$cli" --profile demo login --password --password-stdin >/dev/null
}
