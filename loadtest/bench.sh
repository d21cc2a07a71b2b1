#!/usr/bin/env bash
# The benchmark harness: bare Vert.x instruments vs. Ferry on the same workloads, back to back (loadtest/README.md).
# Not part of `mvn verify`. Builds first unless BENCH_SKIP_BUILD=1; every flag goes to the orchestrator (--help).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[bench] building (mvn -B -q package -DskipTests)" >&2
  mvn -B -q package -DskipTests
fi
# ferry.jar carries every runtime dependency; the harness and instruments are compiled into target/test-classes.
exec java -Xms1g -Xmx1g -XX:+UseG1GC -cp target/ferry.jar:target/test-classes dev.ferry.bench.Bench "$@"
