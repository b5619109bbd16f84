#!/usr/bin/env bash
# The bulk dry run as a whole CLI process (docs/benchmarks.md): a reference server with N
# generated service users, a profile signed in with alice's demo super-admin PAT, a sync, then
# `service-users bulk disable ... --dry-run --json` five times each with --all and with the N
# ids from a file, with and without the sync first. Run it inside a keyring session:
#   scripts/session.sh -- scripts/bench-bulk-cli.sh SERVER_BIN CLI_BIN [N]
set -euo pipefail
SERVER=${1:?server binary} CLI=${2:?CLI binary} N=${3:-10000}
work=$(mktemp -d)
"$SERVER" --listen 127.0.0.1:0 --db "$work/s.db" --demo-service-users "$N" > "$work/server.log" 2>&1 &
spid=$!
trap 'kill $spid; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.log" | head -1 || true); [[ -n "$url" ]] && break; sleep 0.1; done
echo "server $url" >&2
export AMORPHIC_SU_CONFIG_DIR=$work/config AMORPHIC_SU_DATA_DIR=$work/data
"$CLI" profile add bench --url "$url" --user alice >/dev/null
echo -n amo_pat_alice_superadmin_demo_00000000000 | "$CLI" login --token-stdin >/dev/null
"$CLI" sync >/dev/null
ids="$work/ids"; for i in $(seq 0 $((N-1))); do printf 'svc-%06d\n' "$i"; done > "$ids"
# A key's size suffix as the benches write it (10000 -> 10k); a FIGURE line per mode (the median
# of its five runs) for make bench.
if (( N % 1000000 == 0 )); then tag=$((N / 1000000))m; elif (( N % 1000 == 0 )); then tag=$((N / 1000))k; else tag=$N; fi
for mode in "--all" "--from-file $ids" "--all --no-sync" "--from-file $ids --no-sync"; do
  read -r -a args <<< "$mode"
  times=()
  for r in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$CLI" --json service-users bulk disable "${args[@]}" --dry-run > "$work/out.json"
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
    echo "$mode run $r: ${times[-1]} ms, $(wc -c < "$work/out.json") bytes"
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  key=bulk_cli_dry_run_ids; [[ $mode != --all* ]] || key=bulk_cli_dry_run_all
  [[ $mode != *--no-sync ]] || key+=_no_sync
  key+=_ms_$tag
  label="CLI process: bulk disable --dry-run ${mode/$ids/IDS-FILE}, $N service users, median of 5"
  printf 'FIGURE {"key":"%s","value":%s,"unit":"ms","label":"%s"}\n' "$key" "$median" "$label"
done
