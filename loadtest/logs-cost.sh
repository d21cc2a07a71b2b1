#!/usr/bin/env bash
# What recording the message log costs batch publishing: the same build twice, logs.enabled true and false, both
# up at once on loopback, loaded in alternating rounds (so drift on a shared machine hits both) with probe.mjs's
# batch workload (100 x ~100 B entries, Upstash-Delay 1h: ingest only). Prints each round and the medians of
# throughput and of the server's CPU seconds per 100k messages (less noisy than throughput on a busy machine).
# Usage: loadtest/logs-cost.sh [rounds=5] [seconds=8]; needs target/ferry.jar (mvn -B -q package -DskipTests) and node.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SECONDS_PER=${2:-8}
TOKEN=eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

start() { # enabled port
  # FERRY_METRICS_PORT=0: both Ferrys are up at once, and only one could have the management port 9090
  FERRY_LOGS_ENABLED=$1 FERRY_METRICS_PORT=0 java -Xms1g -Xmx1g -XX:+UseG1GC -jar target/ferry.jar --config conf/ferry.json --dev \
    --port "$2" --data-dir "$WORK/data-$2" > "$WORK/ferry-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/v2/keys" && return 0
    sleep 0.2
  done
  echo "Ferry on port $2 did not start; its log:" >&2; cat "$WORK/ferry-$2.log" >&2; exit 1
}
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
probe() { # port seconds -> "messages rate" (probe.mjs ends with an error without latency samples: ignored)
  { timeout $(( $2 + 30 )) node loadtest/probe.mjs --url "http://127.0.0.1:$1" --delay 1h --seconds "$2" \
    --concurrency 32 --latencySamples 0 2>&1 || true; } | sed -n 's/batch ingest: \([0-9]*\) messages.* = \([0-9]*\) msgs\/s.*/\1 \2/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

start true 18181; ON=${PIDS[0]}
start false 18182; OFF=${PIDS[1]}
probe 18181 5 > /dev/null; probe 18182 5 > /dev/null   # warm-up, not counted
TCK=$(getconf CLK_TCK)
for r in $(seq 1 "$ROUNDS"); do
  for side in on off; do
    port=$([ $side = on ] && echo 18181 || echo 18182); pid=$([ $side = on ] && echo "$ON" || echo "$OFF")
    c0=$(cpu "$pid"); read -r n rate < <(probe "$port" "$SECONDS_PER"); sleep 1.5; c1=$(cpu "$pid")
    per=$(awk -v c=$((c1 - c0)) -v n="$n" -v t="$TCK" 'BEGIN {printf "%.3f", c / t / n * 100000}')
    echo "$rate" >> "$WORK/rate-$side"; echo "$per" >> "$WORK/cpu-$side"
    echo "round $r logs $side: $rate msgs/s, $per cpu-s/100k msgs (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
on_rate=$(median < "$WORK/rate-on"); off_rate=$(median < "$WORK/rate-off")
on_cpu=$(median < "$WORK/cpu-on"); off_cpu=$(median < "$WORK/cpu-off")
echo "median throughput: logs on $on_rate, off $off_rate msgs/s ($(awk -v a="$on_rate" -v b="$off_rate" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}'))"
echo "median CPU per 100k messages: logs on $on_cpu s, off $off_cpu s ($(awk -v a="$on_cpu" -v b="$off_cpu" 'BEGIN {printf "%+.1f%%", (a / b - 1) * 100}'))"
grep -h "dropped" "$WORK/ferry-18181.log" || echo "no log entries dropped"
