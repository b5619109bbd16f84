#!/usr/bin/env bash
# Prints the size of each .deb and .rpm under a Tauri bundle folder, and the .deb's installed size.
#   scripts/bundle-sizes.sh TARGET/{debug,release}/bundle
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
  fi
  echo "$line"
done
