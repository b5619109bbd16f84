#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), and, with --display, under a private Xvfb display. Each run gets its own keyring and
# XDG folders, so tests never touch the developer's own keychain or app data.
#   scripts/session.sh [--display] -- CMD ARGS...
set -euo pipefail

display=0
if [[ "${1:-}" == "--display" ]]; then display=1; shift; fi
[[ "${1:-}" == "--" ]] && shift

if [[ -z "${AMORPHIC_SU_IN_SESSION:-}" ]]; then
  scratch=$(mktemp -d -t amorphic-su-session.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch"/{data,config,cache,runtime}
  chmod 700 "$scratch/runtime"
  export XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
  export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
  export AMORPHIC_SU_IN_SESSION=1
  inner=("$0" -- "$@")
  if (( display )); then
    exec_cmd=(xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "${inner[@]}")
  else
    exec_cmd=(dbus-run-session -- "${inner[@]}")
  fi
  "${exec_cmd[@]}"
  exit $?
fi

# Inside the session bus: unlock a fresh login keyring and wait for the Secret Service name.
echo -n "amorphic-su-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
    break
  fi
  sleep 0.05
done
unset AMORPHIC_SU_IN_SESSION
"$@"
