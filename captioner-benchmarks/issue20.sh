#!/usr/bin/env bash
# Produces every figure of issue 20 (few-row decoding kernels, reduced precision, training
# throughput, thread settings) and the attention decoding step of issue 15, on a QUIET machine
# (nothing else running: check `uptime` first; the figures are meaningless under load).
#
#   captioner-benchmarks/issue20.sh [OUT_DIR]      (default: captioner-benchmarks/results/issue20)
#
# Steps (about 90 minutes on 2 cores; each step writes its own files, so a step can be rerun alone
# by copying its command):
#   1. build the benchmarks jar and the CLI jar (SKIP_BUILD=1 skips it);
#   2. machine facts: lscpu, the JDK, load;
#   3. the suite in full mode: LSTM decoding at every precision (fp32, bf16, int8) and kernel (auto,
#      torch, vector) for Flickr8k, greedy and beam 5, batch 1/16/64, with the naive loop and the
#      roofline; the attention decoder (ResNet-50 7x7x2048, VGG-16 14x14x512); one Flickr8k-sized
#      training epoch, project vs naive -> OUT/suite/results.{json,md,png};
#   4. the scalar fallback (what runs without --add-modules jdk.incubator.vector) at batch 1
#      -> OUT/scalar/results.{json,md};
#   5. thread settings: the project decoder at batch 1 (one caption at a time) and batch 16 (Spark
#      tasks caption in batches), with 1 and 2 JMH threads (a server with 1 or 2 workers), under
#      each JVM setting below -> OUT/threads/<setting>-t<threads>.{txt,json};
#   6. the quality cost of bf16 and int8 on the quickstart's test split (trains the quickstart
#      first unless QUICKSTART_OUT names an existing one) -> OUT/precision-quality.{json,md}.
#
# Environment: SKIP_BUILD=1, QUICKSTART_OUT=DIR (an existing quickstart output with model/ and
# dataset/), STEPS="3 4 5 6" (the steps to run; 1 and 2 always run), BENCH_MALLOC as for run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-captioner-benchmarks/results/issue20}"
steps="${STEPS:-3 4 5 6}"
mkdir -p "$out"
log() { echo "[issue20 $(date -u +%H:%M:%S)] $*" >&2; }
has_step() { [[ " $steps " == *" $1 "* ]]; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the benchmarks and the CLI"
  ./mvnw -B -q -pl captioner-benchmarks,examples -am package -DskipTests
fi
export SKIP_BUILD=1
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

log "machine facts"
{
  echo "date: $(date -u +%FT%TZ)"; echo "uptime: $(uptime)"; java -version 2>&1
  echo "OMP_WAIT_POLICY=$OMP_WAIT_POLICY"; lscpu
} > "$out/machine.txt"
if (( $(awk '{print int($1)}' /proc/loadavg) >= 2 )); then
  log "WARNING: load average $(cut -d' ' -f1 /proc/loadavg): the machine is not quiet, figures will be noisy"
fi

jmh=(java --add-modules jdk.incubator.vector -Xms2g -Xmx2g -XX:+AlwaysPreTouch -Dai.djl.offline=true
  -Djava.awt.headless=true -jar captioner-benchmarks/target/benchmarks.jar)

if has_step 3; then
  log "step 3: the suite (decoding at every precision and kernel, attention, training)"
  captioner-benchmarks/run.sh full --out "$out/suite" \
    --include 'DecodingBenchmark|AttentionDecodingBenchmark|TrainingThroughput' \
    --param model=flickr8k --param search=greedy,beam5 --param batch=1,16,64 \
    --param precision=fp32,bf16,int8 --param kernel=auto,torch,vector
fi

if has_step 4; then
  log "step 4: the scalar fallback at batch 1"
  captioner-benchmarks/run.sh full --out "$out/scalar" --include 'DecodingBenchmark' \
    --param impl=project --param model=flickr8k --param search=greedy,beam5 --param batch=1 \
    --param precision=fp32,bf16,int8 --param kernel=scalar
fi

if has_step 5; then
  log "step 5: thread settings"
  mkdir -p "$out/threads"
  # name|JVM options: torch threads (DJL's default is one per core), the decoder's helper thread
  # that computes a beam step's next recurrent term in parallel (half the cores by default), and
  # whether a greedy (1-row) step also hands that product to it
  settings=(
    "default|"
    "torch1|-Dai.djl.pytorch.num_threads=1"
    "torch1-nohelper|-Dai.djl.pytorch.num_threads=1 -Dcaptioner.decoder.helperThreads=0"
    "torch1-split1|-Dai.djl.pytorch.num_threads=1 -Dcaptioner.decoder.splitMinRows=1"
    "default-split1|-Dcaptioner.decoder.splitMinRows=1"
  )
  for s in "${settings[@]}"; do
    name="${s%%|*}"; opts="${s#*|}"
    for threads in 1 2; do
      log "  $name, $threads JMH thread(s)"
      # shellcheck disable=SC2086
      "${jmh[@]:0:1}" ${opts} "${jmh[@]:1}" DecodingBenchmark -p impl=project -p model=flickr8k \
        -p search=greedy,beam5 -p batch=1,16 -p precision=fp32,int8 -p kernel=torch,vector \
        -f 1 -wi 3 -w 2 -i 5 -r 2 -t "$threads" -rf json -rff "$out/threads/$name-t$threads.json" \
        > "$out/threads/$name-t$threads.txt" 2>&1
    done
  done
fi

if has_step 6; then
  log "step 6: quality cost of bf16 and int8 on the quickstart's test split"
  qs="${QUICKSTART_OUT:-$out/quickstart}"
  if [[ ! -d "$qs/model" || ! -d "$qs/dataset" ]]; then
    log "  training the quickstart into $qs (about 4 minutes)"
    java -jar examples/target/captioner.jar quickstart --out "$qs" > "$out/quickstart.log" 2>&1
  fi
  java --add-modules jdk.incubator.vector -Dai.djl.offline=true \
    -cp captioner-benchmarks/target/benchmarks.jar io.captioner.benchmarks.PrecisionQuality \
    --model "$qs/model" --dataset "$qs/dataset" --out "$out" > "$out/precision-quality.txt" 2>&1
fi

log "done: $out (suite/results.md, scalar/results.md, threads/*.txt, precision-quality.md)"
