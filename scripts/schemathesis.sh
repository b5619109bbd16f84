#!/usr/bin/env bash
# Schemathesis (all checks, every phase including the stateful one) against the reference server
# started with the demo seed, as the super-admin and as a plain user, each with its own fresh
# database. Any failure or an unresolved $ref in /openapi.json exits non-zero.
#   scripts/schemathesis.sh SERVER_BIN MAX_EXAMPLES
# SCHEMATHESIS_SEED fixes the generation seed (make test uses a fixed one; soak a random one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

server=$1 max_examples=$2
command -v schemathesis >/dev/null || { echo "schemathesis is missing: run make deps-pip" >&2; exit 1; }
work=$(mktemp -d -t amorphic-su-schemathesis.XXXXXX)
SERVER_PID=""
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$work"' EXIT

# The demo seed's PATs (crates/server/src/seed/demo.rs): alice as super-admin, bob plain.
callers=(
  "super-admin amo_pat_alice_superadmin_demo_00000000000"
  "plain-user amo_pat_bob_default_demo_0000000000000000"
)
seed_args=()
[[ -n "${SCHEMATHESIS_SEED:-}" ]] && seed_args=(--seed "$SCHEMATHESIS_SEED")

failed=()
for caller in "${callers[@]}"; do
  read -r name pat <<<"$caller"
  mkdir -p "$work/$name"
  start_server "$server" "$work/$name/db.sqlite" "$root/crates/server/seed/demo-seed.json" \
    127.0.0.1:0 "$work/$name/server.log"
  echo "schemathesis as $name against $SERVER_URL (max $max_examples examples per operation)"
  # Run inside the scratch folder: Schemathesis leaves its example database in the working folder.
  if ! (cd "$work/$name" && schemathesis --config-file "$here/schemathesis.toml" run \
      "$SERVER_URL/openapi.json" --checks all --max-examples "$max_examples" \
      --no-color "${seed_args[@]}" \
      -H "Authorization: $pat" >"$work/$name/report.txt" 2>&1); then
    cat "$work/$name/report.txt"
    echo "schemathesis as $name: failures (report above)" >&2
    failed+=("$name")
  else
    tail -n 12 "$work/$name/report.txt"
  fi
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done
if ((${#failed[@]})); then
  echo "schemathesis: failures as ${failed[*]}" >&2
  exit 1
fi
echo "schemathesis: no failures as super-admin and as a plain user"
