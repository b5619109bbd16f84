#!/usr/bin/env bash
# `make test-package`: the .deb and .rpm as an administrator gets them. Installs the .deb with
# apt (its dependencies must resolve), starts the installed binary and sees its window
# (screenshot), checks the built-in demo environment came up with random credentials in the
# keychain, purges the package and checks nothing of it is left outside the user's data, then
# inspects the .rpm's metadata and file list. Run it inside a display and a keyring session:
#   scripts/session.sh --display -- scripts/test-package.sh BUNDLE_DIR OUT_DIR
set -euo pipefail
bundle=$1 out=$2
started=$(date +%s.%N)
cd "$(dirname "$0")/.."
mkdir -p "$out"
out=$(realpath "$out")

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
step() { printf 'test-package: %-58s %6.1f s\n' "$1" "$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN{print n-s}')"; }
sudo=$([[ $(id -u) == 0 ]] || echo sudo)

# What the packages must say, from the one Tauri config.
read -r version binary product license < <(python3 -c '
import json; c = json.load(open("tauri.conf.json"))
print(c["version"], c["mainBinaryName"], c["productName"].replace(" ", "_"), c["bundle"]["license"])')
product=${product//_/ }
icon_sizes=(32x32 64x64 128x128 256x256@2 512x512)

shopt -s nullglob
debs=("$bundle"/deb/*_"${version}"_*.deb)
rpms=("$bundle"/rpm/*-"${version}"-*.rpm)
(( ${#debs[@]} == 1 )) || fail "expected one .deb of version $version in $bundle/deb, found ${#debs[@]}"
(( ${#rpms[@]} == 1 )) || fail "expected one .rpm of version $version in $bundle/rpm, found ${#rpms[@]}"
deb=${debs[0]} rpm=${rpms[0]}

# ---- the .deb's metadata -------------------------------------------------------------------
pkg=$(dpkg-deb -f "$deb" Package)
installed() { [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == *"ok installed"* ]]; }
for field in Package Version Architecture Maintainer Section Priority Depends Description; do
  [[ -n "$(dpkg-deb -f "$deb" "$field")" ]] || fail ".deb has no $field"
done
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail ".deb version is not $version"
[[ $(dpkg-deb -f "$deb" Depends) == *libwebkit2gtk-4.1-0* ]] || fail ".deb does not depend on libwebkit2gtk-4.1-0"
dpkg-deb -c "$deb" >"$out/deb-contents.txt"
grep -q "usr/share/doc/$pkg/copyright" "$out/deb-contents.txt" || fail ".deb has no copyright file"
step ".deb metadata ($pkg $version)"

# ---- install with apt ------------------------------------------------------------------------
work=$(mktemp -d -t amorphic-su-pkg.XXXXXX)
app_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if installed; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
cp "$deb" "$work/package.deb"
chmod 644 "$work/package.deb"
if installed; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >/dev/null
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "$work/package.deb" >"$out/apt-install.log" 2>&1 || { cat "$out/apt-install.log" >&2; fail "apt-get install failed"; }
installed || fail "$pkg is not installed after apt-get install"
dpkg -L "$pkg" >"$work/files"
cp "$work/files" "$out/deb-files.txt"
step "apt-get install ./$(basename "$deb")"

# The installed files: binary, desktop entry, an icon at every size of icons/.
installed_bin=/usr/bin/$binary
[[ -x "$installed_bin" ]] || fail "$installed_bin is not installed"
desktop=$(grep -E '^/usr/share/applications/.*\.desktop$' "$work/files" | head -1)
[[ -n "$desktop" && -f "$desktop" ]] || fail "no desktop entry installed"
grep -qx "Name=$product" "$desktop" || fail "$desktop has no Name=$product"
grep -qx "Exec=$binary" "$desktop" || fail "$desktop does not run $binary"
grep -q '^Categories=Development;' "$desktop" || fail "$desktop is not in the Development category"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi
for size in "${icon_sizes[@]}"; do
  [[ -f /usr/share/icons/hicolor/$size/apps/$binary.png ]] || fail "no $size icon installed"
done
step "installed binary, desktop entry, ${#icon_sizes[@]} icons"

# ---- the installed app opens its window, with the built-in demo environment ----------------
[[ -n "${DISPLAY:-}" ]] || fail "no DISPLAY: run inside scripts/session.sh --display"
config_dir=${XDG_CONFIG_HOME:?}/amorphic-su-desktop
data_dir=${XDG_DATA_HOME:?}/amorphic-su-desktop
[[ ! -e "$config_dir/config.toml" ]] || fail "the session's config is not empty"
"$installed_bin" >"$out/app.log" 2>&1 &
app_pid=$!
window=""
for _ in $(seq 1 300); do
  window=$(xwininfo -root -tree 2>/dev/null | grep -F '"Amorphic Service Users' | head -1 || true)
  [[ -n "$window" ]] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$out/app.log" >&2; fail "the installed app exited"; }
  sleep 0.1
done
[[ -n "$window" ]] || { cat "$out/app.log" >&2; fail "no window named \"Amorphic Service Users\" within 30 s"; }
step "window mapped: $(sed -E 's/^ *(0x[0-9a-f]+).*: \(.*\) +([0-9]+x[0-9]+).*/\1 \2/' <<<"$window")"

# The first start made the demo environment: its database in the OS data directory, a `demo`
# profile, random credentials in the keychain (never the published ones), and a session.
for _ in $(seq 1 100); do
  secret-tool lookup service amorphic-su-desktop username demo:session >/dev/null 2>&1 && break
  sleep 0.1
done
[[ -f "$data_dir/demo/server.db" ]] || fail "no demo database in $data_dir/demo"
grep -q '^name = "demo"' "$config_dir/config.toml" || fail "no demo profile in $config_dir/config.toml"
password=$(secret-tool lookup service amorphic-su-desktop username demo:seed-password:alice) \
  || fail "no demo password in the keychain"
[[ ${#password} -ge 32 && "$password" != "alice-demo-password" ]] || fail "the demo password is not a random one"
secret-tool lookup service amorphic-su-desktop username demo:session >/dev/null \
  || fail "the demo environment did not sign in (no session in the keychain)"
! grep -rqF -- "$password" "$config_dir" "$data_dir" || fail "the demo password is in a file"
unset password

# Wait for the webview to render (a blank window is one colour), then keep the screenshot.
colours=0
for _ in $(seq 1 60); do
  import -window root "$out/installed-app.png"
  colours=$(identify -format '%k' "$out/installed-app.png")
  (( colours > 50 )) && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$out/app.log" >&2; fail "the installed app exited"; }
  sleep 1
done
(( colours > 50 )) || { cat "$out/app.log" >&2; fail "the screenshot has $colours colours after 60 s: the window did not render"; }
sleep 2  # the list fills in after the first paint
import -window root "$out/installed-app.png"
kill -0 "$app_pid" 2>/dev/null || { cat "$out/app.log" >&2; fail "the installed app exited"; }
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
step "demo environment signed in; screenshot $out/installed-app.png"

# ---- purge: nothing of the package is left ---------------------------------------------------
DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$pkg" >"$out/apt-purge.log" 2>&1 \
  || { cat "$out/apt-purge.log" >&2; fail "apt-get purge failed"; }
[[ -z $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) ]] || fail "$pkg is still known to dpkg"
left=()
while IFS= read -r path; do
  [[ -z "$path" || "$path" == /. ]] && continue
  if [[ -d "$path" ]]; then
    # A folder may stay when it holds other files or another package ships it too.
    if [[ -z "$(ls -A "$path" 2>/dev/null)" ]] && ! dpkg-query -S "$path" >/dev/null 2>&1; then
      left+=("$path (empty folder)")
    fi
  elif [[ -e "$path" || -L "$path" ]]; then
    left+=("$path")
  fi
done <"$work/files"
(( ${#left[@]} == 0 )) || fail "left after purge: ${left[*]}"
[[ -f "$data_dir/demo/server.db" ]] || fail "the purge removed the user's data"
step "apt-get purge: none of $(wc -l <"$work/files") paths left; user data kept"

# ---- the .rpm's metadata and file list -------------------------------------------------------
rpm -qip "$rpm" >"$out/rpm-info.txt" 2>/dev/null
rpm -qlp "$rpm" >"$out/rpm-files.txt" 2>/dev/null
rpm -qp --requires "$rpm" >"$out/rpm-requires.txt" 2>/dev/null
field() { sed -n "s/^$1 *: //p" "$out/rpm-info.txt" | head -1; }
[[ $(field Name) == "$pkg" ]] || fail ".rpm name is '$(field Name)', not $pkg"
[[ $(field Version) == "$version" ]] || fail ".rpm version is '$(field Version)', not $version"
[[ $(field License) == "$license" ]] || fail ".rpm licence is '$(field License)', not $license"
[[ -n $(field Summary) ]] || fail ".rpm has no summary"
grep -qx "/usr/bin/$binary" "$out/rpm-files.txt" || fail ".rpm has no /usr/bin/$binary"
grep -qE '^/usr/share/applications/.+\.desktop$' "$out/rpm-files.txt" || fail ".rpm has no desktop entry"
grep -qx "/usr/share/licenses/$pkg/LICENSE" "$out/rpm-files.txt" || fail ".rpm has no licence file"
for size in "${icon_sizes[@]}"; do
  grep -qx "/usr/share/icons/hicolor/$size/apps/$binary.png" "$out/rpm-files.txt" || fail ".rpm has no $size icon"
done
grep -q 'webkit2gtk4.1\|libwebkit2gtk-4.1' "$out/rpm-requires.txt" || fail ".rpm does not require webkit2gtk 4.1"
step ".rpm metadata and $(wc -l <"$out/rpm-files.txt") files ($(field Name) $(field Version) $(field License))"

echo "test-package: passed in $(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN{printf "%.1f", n-s}') s"
