#!/usr/bin/env bash
# Runs the captioner benchmark suite and writes results.json, results.md and results.png into
# captioner-benchmarks/results/.
#
#   captioner-benchmarks/run.sh [quick|full] [Suite options...]
#   captioner-benchmarks/run.sh soak [RssSoak options...]   (results/soak.json and soak.md only)
#
# quick: short JMH iterations, under 10 minutes on 2 cores; full: 3 warm-up + 5 measured
# iterations of 2 s per configuration. Suite options (picocli; --help lists them): --param
# name=v1,v2 (restrict a JMH parameter, e.g. impl=project), --include REGEX (benchmark classes:
# DecodingBenchmark, AttentionDecodingBenchmark, EncoderBenchmark, EndToEndBenchmark, TrainingThroughput,
# RssSoak), --forks N (0 = one JVM for
# everything, the default, so native memory can be followed across the whole run), --out DIR (the
# last --out counts, so it overrides the default below).
# Environment: SKIP_BUILD=1 reuses target/benchmarks.jar; BENCH_HEAP sets the fixed Java heap
# (default 2g); JAVA_OPTS is passed to the JVM
# (e.g. -Dai.djl.pytorch.num_threads=1); OMP_WAIT_POLICY defaults to PASSIVE (see README);
# BENCH_MALLOC=glibc or jemalloc chooses the C allocator (default: glibc for quick and full,
# jemalloc for soak when installed; README, "Native memory and RSS"). BENCH_VECTOR=0 starts the JVM
# without the Vector API module (the decoder's vector kernel then runs as its scalar fallback;
# default 1: --add-modules jdk.incubator.vector). RssSoak options: --captions N,
# --decodes N, --batch N, --samples N, --threads fixed,new, --out DIR (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
if [[ $# -gt 0 ]]; then shift; fi
if [[ "$mode" != quick && "$mode" != full && "$mode" != soak ]]; then
  echo "usage: $0 [quick|full|soak] [Suite or RssSoak options...]" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -pl captioner-benchmarks -am package -DskipTests
fi
# PyTorch's OpenMP threads spin while waiting by default; on a machine shared with other work
# that made every op up to 10x slower here, so threads sleep instead unless told otherwise.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# The C allocator. glibc keeps much of what PyTorch frees in its arenas, so RSS grows by tens of
# MiB to GBs with no NDArray alive; jemalloc returns it but made PyTorch's lstm operator (which
# the naive baseline uses at every size) up to 1.9x slower here (README, "Native memory and RSS").
# So timing runs (quick, full) use glibc, as SDK users run, and the soak, which asks whether the
# project leaks, uses jemalloc when installed. BENCH_MALLOC=glibc|jemalloc overrides both.
if [[ "$mode" == soak ]]; then default_malloc=auto; else default_malloc=glibc; fi
malloc="${BENCH_MALLOC:-$default_malloc}"
preload=""
if [[ "$malloc" == jemalloc || "$malloc" == auto ]]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
      /usr/lib64/libjemalloc.so.2 /usr/local/lib/libjemalloc.so.2; do
    if [[ -f "$lib" ]]; then preload="$lib"; break; fi
  done
  if [[ -z "$preload" && "$malloc" == jemalloc ]]; then
    echo "BENCH_MALLOC=jemalloc but libjemalloc.so.2 was not found (apt-get install libjemalloc2)" >&2
    exit 2
  elif [[ -z "$preload" ]]; then
    echo "note: libjemalloc.so.2 not found (apt-get install libjemalloc2); the soak uses glibc's malloc," \
      "whose caching adds tens of MiB" >&2
  fi
elif [[ "$malloc" != glibc ]]; then
  echo "BENCH_MALLOC must be glibc or jemalloc, found '$malloc'" >&2
  exit 2
fi
if [[ "$mode" == soak ]]; then
  main=io.captioner.benchmarks.RssSoak
  set -- --out captioner-benchmarks/results "$@"
else
  main=io.captioner.benchmarks.Suite
  set -- --mode "$mode" --out captioner-benchmarks/results "$@"
fi
# The decoder's Vector API kernel (StepKernel.VECTOR) needs the incubating module in the boot layer;
# the JVM then prints one line, "WARNING: Using incubator modules: jdk.incubator.vector".
vector=()
if [[ "${BENCH_VECTOR:-1}" != 0 ]]; then vector=(--add-modules jdk.incubator.vector); fi
# A fixed, pre-touched Java heap: RSS then only moves with native memory, so the RSS figures in
# the results show native growth rather than the Java heap expanding towards its default limit.
heap="${BENCH_HEAP:-2g}"
# shellcheck disable=SC2086
if [[ -n "$preload" ]]; then
  export LD_PRELOAD="$preload${LD_PRELOAD:+:$LD_PRELOAD}"
  # jemalloc keeps freed pages for 10 s by default, which an 8-second soak reads as growth;
  # return them within 1 s, from a background thread, so RSS follows live memory.
  export MALLOC_CONF="${MALLOC_CONF:-background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0}"
fi
exec java "${vector[@]}" -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -Dai.djl.offline=true \
  -Djava.awt.headless=true \
  -cp captioner-benchmarks/target/benchmarks.jar "$main" "$@"
