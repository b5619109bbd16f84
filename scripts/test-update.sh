#!/usr/bin/env bash
# `make test-update`: the in-app update end to end, as an administrator's desktop gets it.
# Generates a signing key for this run only, builds two debug .debs carrying its public key (the
# installed version and the next patch version, the second signed as the release workflow signs:
# createUpdaterArtifacts), serves latest.json and the artifacts from a loopback HTTP server,
# installs the old .deb with apt, starts it pointed at that server (AMORPHIC_SU_UPDATE_ENDPOINT)
# and drives the real window (ui/tests/update/update.test.mjs): a tampered artifact (one byte
# flipped) is refused with the message naming the signature check and the old version stays;
# the signed one installs on consent and the app restarts into it. Then the installed package's
# version, and the relaunched app's own version (its check at start asks the endpoint with
# {{current_version}}) must be the new one. Purges the package at the end.
# Run it inside a display and a keyring session:
#   scripts/session.sh --display -- scripts/test-update.sh OUT_DIR
set -euo pipefail
out=$1
started=$(date +%s.%N)
cd "$(dirname "$0")/.."
mkdir -p "$out"
out=$(realpath "$out")
TAURI=ui/node_modules/.bin/tauri
target=${CARGO_TARGET_DIR:?set CARGO_TARGET_DIR (the Makefile does)}
export TAURI_FRONTEND_PATH=ui

fail() { echo "test-update: FAIL: $*" >&2; exit 1; }
step() { printf 'test-update: %-62s %6.1f s\n' "$1" "$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN{print n-s}')"; }
sudo=$([[ $(id -u) == 0 ]] || echo sudo)
[[ -n "${DISPLAY:-}" ]] || fail "no DISPLAY: run inside scripts/session.sh --display"
command -v tauri-driver >/dev/null || fail "tauri-driver is not installed (make deps-cargo)"

read -r old_version binary < <(python3 -c '
import json; c = json.load(open("tauri.conf.json")); print(c["version"], c["mainBinaryName"])')
new_version=$(python3 -c 'import sys; a = sys.argv[1].split("."); a[2] = str(int(a[2]) + 1); print(".".join(a))' "$old_version")

work=$(mktemp -d -t amorphic-su-update.XXXXXX)
chmod 755 "$work"
www=$work/www
mkdir -p "$www" "$work/bin"
pkg=""
server_pid="" driver_pid=""
installed() { [[ -n "$pkg" && $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == *"ok installed"* ]]; }
version_installed() { dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true; }
# The app processes of this run (the relaunched one is nobody's child): the installed binary
# with this run's endpoint in its environment.
our_apps() {
  local exe pid
  for exe in /proc/[0-9]*/exe; do
    [[ $(readlink "$exe" 2>/dev/null) == "/usr/bin/$binary"* ]] || continue
    pid=${exe#/proc/}; pid=${pid%/exe}
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "AMORPHIC_SU_UPDATE_ENDPOINT=$endpoint" && echo "$pid"
  done
  return 0
}
cleanup() {
  local pid
  for pid in $driver_pid $server_pid; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "${endpoint:-}" ]]; then for pid in $(our_apps); do kill "$pid" 2>/dev/null || true; done; fi
  wait 2>/dev/null || true
  if installed; then DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- a key for this run; both builds carry its public key ---------------------------------
"$TAURI" signer generate -w "$work/test.key" --ci -p '' >/dev/null
pubkey=$(cat "$work/test.key.pub")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# {{current_version}} is the asking app's version: the server's log tells which version runs.
endpoint="http://127.0.0.1:$port/latest.json?current={{current_version}}"
step "test signing key; versions $old_version -> $new_version"

# ---- the two .debs (debug builds: the UI embedded, the updater's checks as in release) -----
deb_dir=$target/debug/bundle/deb
build() { # VERSION EXTRA_CONFIG_JSON LOG
  local config
  config=$(python3 -c 'import json, sys
c = {"version": sys.argv[1], "plugins": {"updater": {"pubkey": sys.argv[2]}}}
c.update(json.loads(sys.argv[3])); print(json.dumps(c))' "$1" "$pubkey" "$2")
  "$TAURI" build --debug --bundles deb --ci --config "$config" >"$3" 2>&1 || { tail -40 "$3" >&2; fail "tauri build of $1 failed (log: $3)"; }
}
build "$old_version" '{}' "$out/build-old.log"
shopt -s nullglob
debs=("$deb_dir"/*_"${old_version}"_*.deb)
(( ${#debs[@]} == 1 )) || fail "expected one .deb of $old_version in $deb_dir"
cp "${debs[0]}" "$work/old.deb"
pkg=$(dpkg-deb -f "$work/old.deb" Package)
step "built $old_version (.deb, test public key)"

TAURI_SIGNING_PRIVATE_KEY=$(cat "$work/test.key") TAURI_SIGNING_PRIVATE_KEY_PASSWORD='' \
  build "$new_version" '{"bundle": {"createUpdaterArtifacts": true}}' "$out/build-new.log"
debs=("$deb_dir"/*_"${new_version}"_*.deb)
(( ${#debs[@]} == 1 )) || fail "expected one .deb of $new_version in $deb_dir"
[[ -f "${debs[0]}.sig" ]] || fail "the $new_version build made no updater signature (${debs[0]}.sig)"
cp "${debs[0]}" "$www/signed.deb"
signature=$(cat "${debs[0]}.sig")
rm -f "${debs[0]}" "${debs[0]}.sig"
[[ $(dpkg-deb -f "$www/signed.deb" Version) == "$new_version" ]] || fail "the new .deb is not version $new_version"
step "built $new_version (.deb + .sig, createUpdaterArtifacts)"

# The same file with one byte flipped half-way: the signature no longer matches.
cp "$www/signed.deb" "$www/tampered.deb"
python3 - "$www/tampered.deb" <<'PY'
import os, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(os.path.getsize(sys.argv[1]) // 2); b = f.read(1); f.seek(-1, 1); f.write(bytes([b[0] ^ 0xFF]))
PY
cmp -s "$www/signed.deb" "$www/tampered.deb" && fail "the tampered copy is not different"
for which in signed tampered; do
  python3 - "$www/latest-$which.json" "$new_version" "$signature" "http://127.0.0.1:$port/$which.deb" <<'PY'
import json, sys
from datetime import datetime, timezone
path, version, signature, url = sys.argv[1:]
json.dump({
    "version": version,
    "notes": f"The update test's release {version}.\nSigned with a key made for this run.",
    "pub_date": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    "platforms": {"linux-x86_64-deb": {"signature": signature, "url": url}},
}, open(path, "w"), indent=2)
PY
done
cp "$www/latest-tampered.json" "$www/latest.json"
(cd "$www" && exec python3 -m http.server "$port" --bind 127.0.0.1) >"$out/http.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
step "serving latest.json, signed.deb, tampered.deb on 127.0.0.1:$port"

# ---- install the old version with apt ----------------------------------------------------
if installed; then DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >/dev/null; fi
chmod 644 "$work/old.deb"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$work/old.deb" \
  >"$out/apt-install.log" 2>&1 || { cat "$out/apt-install.log" >&2; fail "apt-get install failed"; }
[[ $(version_installed) == "$old_version" ]] || fail "$pkg $old_version is not installed"
step "apt-get install $pkg $old_version"

# ---- the window: tampered refused, signed installed, restart -----------------------------
# The updater installs a .deb with `pkexec dpkg -i` (a desktop's graphical prompt). This headless
# root session has no polkit agent: a stand-in pkexec runs the command as the root it already is.
if [[ $(id -u) == 0 ]]; then
  printf '#!/bin/sh\n# pkexec stand-in for the update test (already root)\nexec "$@"\n' >"$work/bin/pkexec"
  chmod 755 "$work/bin/pkexec"
fi
driver_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The app's temporary files (the downloaded package) stay in the work folder, removed at the end.
mkdir -p "$work/tmp"
PATH="$work/bin:$PATH" TMPDIR="$work/tmp" AMORPHIC_SU_NO_DEMO=1 AMORPHIC_SU_UPDATE_ENDPOINT="$endpoint" \
  tauri-driver --port "$driver_port" --native-port "$((driver_port + 1))" >"$out/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$driver_port") 2>/dev/null && break; sleep 0.1; done
AMORPHIC_SU_APP=/usr/bin/$binary TAURI_DRIVER_PORT=$driver_port UPDATE_WWW=$www UPDATE_PACKAGE=$pkg \
  UPDATE_HTTP_LOG=$out/http.log AMORPHIC_SU_UPDATE_ENDPOINT="$endpoint" \
  UPDATE_OLD_VERSION=$old_version UPDATE_NEW_VERSION=$new_version AMORPHIC_SU_SCREENSHOTS=$out \
  node --test --test-concurrency=1 ui/tests/update/update.test.mjs \
  || { tail -20 "$out/http.log" >&2; fail "the window's update steps failed (screenshots in $out)"; }
step "window: tampered refused, signed installed on consent"

# ---- afterwards: the package, and the running app's own version --------------------------
for _ in $(seq 1 600); do [[ $(version_installed) == "$new_version" ]] && break; sleep 0.1; done
[[ $(version_installed) == "$new_version" ]] || fail "$pkg is $(version_installed), not $new_version, after the update"
grep -q 'GET /signed.deb' "$out/http.log" || fail "the signed artifact was never downloaded"
# The window test saw the relaunched app ask the endpoint as the new version; the log says so too.
grep -q "current=$new_version" "$out/http.log" || fail "no app of version $new_version asked the endpoint after the restart"
apps=$(our_apps)
step "installed $new_version; the relaunched app asked as $new_version"
for pid in $apps; do kill "$pid" 2>/dev/null || true; done

DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >"$out/apt-purge.log" 2>&1 \
  || { cat "$out/apt-purge.log" >&2; fail "apt-get purge failed"; }
[[ -z $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) ]] || fail "$pkg is still known to dpkg"
step "apt-get purge $pkg"
echo "test-update: passed in $(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN{printf "%.1f", n-s}') s"
