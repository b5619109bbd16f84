#!/usr/bin/env bash
# Prints the size of each .deb and .rpm under a Tauri bundle folder, and the .deb's installed size.
# For a shipped bundle (any profile but debug) it also prints the newest .deb's size as the
# `deb_bytes` FIGURE of `make bench` (goal: at most 6 MiB).
#   scripts/bundle-sizes.sh TARGET/{debug,release,installer}/bundle
set -euo pipefail
dir=$1
shopt -s nullglob
files=("$dir"/deb/*.deb "$dir"/rpm/*.rpm)
(( ${#files[@]} )) || { echo "no .deb or .rpm under $dir" >&2; exit 1; }
for f in "${files[@]}"; do
  bytes=$(stat -c %s "$f")
  line=$(printf '%-6s %8.2f MB (%d bytes)  %s' "${f##*.}" "$(awk -v b="$bytes" 'BEGIN{print b/1000000}')" "$bytes" "$f")
  if [[ $f == *.deb ]] && command -v dpkg-deb >/dev/null; then
    line+="  installed $(dpkg-deb -f "$f" Installed-Size) KiB"
    line+="  $(ar t "$f" 2>/dev/null | grep "^data" || true)"
  fi
  echo "$line"
done
profile=$(basename "$(dirname "$(realpath "$dir")")")
debs=("$dir"/deb/*.deb)
if [[ $profile != debug ]] && (( ${#debs[@]} )); then
  newest=$(ls -t "${debs[@]}" | head -n 1)
  printf 'FIGURE {"key":"deb_bytes","value":%d,"unit":"bytes","label":".deb (%s profile)","goal_abs":"<= 6291456"}\n' \
    "$(stat -c %s "$newest")" "$profile"
fi
