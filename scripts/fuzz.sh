#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for FUZZ_SECONDS (default 60) each, then prints one
# table of executions per target. Fails when a target crashes, panics, times out or runs out of
# memory; the input that did it is kept under the work directory named in the table.
#
# The committed seeds (fuzz/corpus/<target>) are read, never written: what libFuzzer adds goes
# to a work corpus under the fuzz target directory, so a run leaves the repository untouched.
# Without a sanitizer: the targets are safe Rust (ASan would only slow them), with debug
# assertions and overflow checks on, so an arithmetic overflow is a finding too.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-token ids headers seed search}
target_dir=${FUZZ_TARGET_DIR:-$HOME/.cache/amorphic-su-fuzz-target}
work=$target_dir/fuzz-work

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "make fuzz needs the nightly Rust toolchain (cargo-fuzz builds with it): rustup toolchain install nightly" >&2
  exit 1
fi
flags=(--sanitizer none --debug-assertions --target-dir "$target_dir")
cargo +nightly fuzz build "${flags[@]}"

declare -A execs result
failed=0
for t in $targets; do
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  log=$work/$t.log
  echo "fuzz: $t for ${seconds}s (log: $log)"
  # A target's dictionary (fuzz/<target>.dict), where it has one, keeps mutations well-formed.
  dict=()
  [[ -f $t.dict ]] && dict=(-dict="$t.dict")
  if cargo +nightly fuzz run "${flags[@]}" "$t" "$work/corpus/$t" "corpus/$t" -- \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$work/artifacts/$t/" >"$log" 2>&1; then
    result[$t]=ok
  else
    found=$(ls -t "$work/artifacts/$t" 2>/dev/null | head -1)
    result[$t]="FAILED ${found:+$work/artifacts/$t/$found}"
    failed=1
    tail -40 "$log" >&2
  fi
  # libFuzzer's final statistics, else its last progress line ("#N DONE ...").
  n=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  [[ -n $n ]] || n=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  execs[$t]=${n:-0}
done

echo
printf '%-10s %14s %10s  %s\n' target executions exec/s result
for t in $targets; do
  printf '%-10s %14s %10s  %s\n' "$t" "${execs[$t]}" "$((execs[$t] / seconds))" "${result[$t]}"
done
exit "$failed"
