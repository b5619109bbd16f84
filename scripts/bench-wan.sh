#!/usr/bin/env bash
# The full sync over a simulated slow link: 50 Mbit/s each way, 40 ms round trips.
#
# Makes a network namespace joined to this one by a veth pair, shapes both ends with tc's
# token bucket (tbf), and runs the sync bench in its link role (BENCH_NETNS): the server in the
# namespace, the client here behind a delaying TCP proxy (20 ms each way; netem, the kernel's
# delay, is missing on some kernels, this one included). Prints the FIGURE lines
# full_sync_100k_wan_s (at BENCH_USERS=100000, the default), full_sync_wan_s_<size>, wan_rtt_ms.
# Needs root (ip netns) and iproute2. Removes the namespace on exit.
#
#   scripts/bench-wan.sh              # BENCH_USERS=100000
#   BENCH_USERS=1000000 scripts/bench-wan.sh
#   BENCH_VARIANTS=1 scripts/bench-wan.sh   # also the old way's fetch over the link (slow)
#   BENCH_SYNC_BIN=target/release/deps/sync-HASH scripts/bench-wan.sh   # a bench already built
set -euo pipefail
cd "$(dirname "$0")/.."

rate=${BENCH_WAN_RATE:-50mbit}
for tool in ip tc; do
  command -v "$tool" >/dev/null || { echo "bench-wan: $tool is missing (apt-get install iproute2)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench-wan: needs root (it makes a network namespace)" >&2; exit 1; }

ns="su-wan-$$"
host_if="suw$$a"
ns_if="suw$$b"
# A /30 of its own per run (10.203.x.y), so that two runs never share an address.
net=$(( $$ % 16384 ))
prefix="10.$(( 200 + net / 4096 )).$(( (net / 16) % 256 )).$(( (net % 16) * 16 ))"
base=${prefix%.*}
last=${prefix##*.}
host_ip="$base.$(( last + 1 ))"
ns_ip="$base.$(( last + 2 ))"

cleanup() {
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$host_if" type veth peer name "$ns_if"
ip link set "$ns_if" netns "$ns"
ip addr add "$host_ip/30" dev "$host_if"
ip link set "$host_if" up
ip netns exec "$ns" ip addr add "$ns_ip/30" dev "$ns_if"
ip netns exec "$ns" ip link set "$ns_if" up
ip netns exec "$ns" ip link set lo up

# Say whether netem exists here (the proxy adds the delay either way, the same everywhere).
if tc qdisc add dev "$host_if" root netem delay 1ms 2>/dev/null; then
  tc qdisc del dev "$host_if" root
  echo "bench-wan: netem is available on this kernel; the delay still comes from the proxy" >&2
else
  echo "bench-wan: netem is not available on this kernel ($(uname -r)); the delay comes from the proxy" >&2
fi
# Token bucket each way: the rate, a 64 KiB bucket, packets dropped past 50 ms of queue.
tc qdisc add dev "$host_if" root tbf rate "$rate" burst 64kb latency 50ms
ip netns exec "$ns" tc qdisc add dev "$ns_if" root tbf rate "$rate" burst 64kb latency 50ms

export BENCH_NETNS="$ns" BENCH_WAN_SERVER_IP="$ns_ip"
if [ -n "${BENCH_SYNC_BIN:-}" ]; then
  "$BENCH_SYNC_BIN"   # the sync bench already built (cargo bench --no-run prints its path)
else
  cargo bench --quiet -p amorphic-su-client --bench sync
fi
