#!/usr/bin/env bash
# Rebuilds each .deb with its files compressed by xz -9 (extreme) instead of the gzip the Tauri
# bundler always writes (it has no setting for it): the same package, as Debian builds its own,
# about a quarter smaller. Needs dpkg-deb; keeps the control data, modes and owners (root).
#   scripts/deb-xz.sh FILE.deb...
set -euo pipefail
(( $# )) || { echo "usage: scripts/deb-xz.sh FILE.deb..." >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "deb-xz: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
for deb in "$@"; do
  [[ -f $deb ]] || { echo "deb-xz: no such .deb: $deb" >&2; exit 1; }
  work=$(mktemp -d -t amorphic-su-deb.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  dpkg-deb --raw-extract "$deb" "$work/root"
  before=$(stat -c %s "$deb")
  dpkg-deb --root-owner-group -Zxz -z9 -Sextreme --build "$work/root" "$work/new.deb" >/dev/null
  mv "$work/new.deb" "$deb"
  echo "deb-xz: $(basename "$deb"): $before -> $(stat -c %s "$deb") bytes"
  rm -rf "$work"
  trap - EXIT
done
