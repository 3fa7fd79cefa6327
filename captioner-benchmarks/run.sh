#!/usr/bin/env bash
# Runs the captioner benchmark suite and writes results.json, results.md and results.png into
# captioner-benchmarks/results/.
#
#   captioner-benchmarks/run.sh [quick|full] [Suite options...]
#
# quick: short JMH iterations, under 10 minutes on 2 cores; full: 3 warm-up + 5 measured
# iterations of 2 s per configuration. Suite options: --param name=v1,v2 (restrict a JMH
# parameter), --include REGEX (benchmark classes), --forks N (0 = one JVM for everything, the
# default, so native memory can be followed across the whole run), --out DIR.
# Environment: SKIP_BUILD=1 reuses target/benchmarks.jar; BENCH_HEAP sets the fixed Java heap
# (default 2g); JAVA_OPTS is passed to the JVM
# (e.g. -Dai.djl.pytorch.num_threads=1); OMP_WAIT_POLICY defaults to PASSIVE (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
if [[ $# -gt 0 ]]; then shift; fi
if [[ "$mode" != quick && "$mode" != full ]]; then
  echo "usage: $0 [quick|full] [Suite options...]" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -pl captioner-benchmarks -am package -DskipTests
fi
# PyTorch's OpenMP threads spin while waiting by default; on a machine shared with other work
# that made every op up to 10x slower here, so threads sleep instead unless told otherwise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# A fixed, pre-touched Java heap: RSS then only moves with native memory, so the RSS figures in
# the results show native growth rather than the Java heap expanding towards its default limit.
heap="${BENCH_HEAP:-2g}"
# shellcheck disable=SC2086
exec java -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -Dai.djl.offline=true \
  -Djava.awt.headless=true \
  -cp captioner-benchmarks/target/benchmarks.jar io.captioner.benchmarks.Suite \
  --mode "$mode" --out captioner-benchmarks/results "$@"
