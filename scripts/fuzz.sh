#!/usr/bin/env bash
# Runs one of the project's Jazzer fuzz targets for a bounded time, or every target in turn.
#
#   scripts/fuzz.sh TARGET DURATION      e.g. scripts/fuzz.sh npy 10m
#   scripts/fuzz.sh all DURATION         every target, one after the other, DURATION each
#   scripts/fuzz.sh list                 the targets and their test methods
#
# DURATION is Jazzer's: 30s, 10m, 1h. Each target runs in its own JVM (Jazzer fuzzes one
# @FuzzTest per JVM) through Maven with JAZZER_FUZZ=1; without it, `./mvnw verify` only replays
# the committed seeds and regression inputs. Each input may take at most 1 s (libFuzzer -timeout).
#
# What a run leaves behind:
#   MODULE/.cifuzz-corpus/CLASS/METHOD/        the corpus the run grew (not committed)
#   src/test/resources/.../CLASSInputs/METHOD/  crash-*/timeout-* inputs of a finding: fix it,
#                                               rename the file to regression-<what> and commit it
#   target/fuzz/TARGET.log                       the whole log (libFuzzer's #N lines)
#   target/fuzz/TARGET.coverage.txt              Jazzer's branch coverage report
#   target/fuzz/summary.tsv                      target, duration, executions, covered edges
#                                                (libFuzzer's final "cov:"), result
# Extra Maven flags (e.g. -o for offline) can be passed in FUZZ_MAVEN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."

# target name -> module, test class, method, classes worth instrumenting beyond the project's own
declare -A MODULE CLASS METHOD EXTRA
add() { MODULE[$1]=$2; CLASS[$1]=$3; METHOD[$1]=$4; EXTRA[$1]=${5:-}; }
add images        captioner-models io.captioner.models.image.ImageLoaderFuzzTest anyImageBytes \
    'com.twelvemonkeys.**'
add artifact      captioner-models io.captioner.models.artifact.ModelArtifactFuzzTest anyArtifact 'com.google.gson.**'
add npy           captioner-models io.captioner.models.npy.NpyFuzzTest anyNpyOrNpz
add flickr8k      captioner-core   io.captioner.data.Flickr8kReaderFuzzTest anyAnnotationFiles 'com.google.gson.**'
add vocabulary    captioner-core   io.captioner.text.VocabularyFuzzTest anyVocabularyFile
add coco          captioner-core   io.captioner.eval.CocoResultsFuzzTest anyResultsFile 'com.google.gson.**'
add server        examples         io.captioner.examples.server.CaptionServerFuzzTest anyCaptionRequest \
    'io.javalin.**:org.eclipse.jetty.server.**:org.eclipse.jetty.http.**'
add feature-cache captioner-models io.captioner.models.cache.FeatureCacheFuzzTest anyCacheFiles
ORDER=(images artifact npy flickr8k vocabulary coco server feature-cache)

usage() {
    echo "usage: $0 TARGET|all DURATION   (targets: ${ORDER[*]})" >&2
    echo "       $0 list" >&2
    exit 2
}

if [ "${1:-}" = list ]; then
    for t in "${ORDER[@]}"; do
        printf '%-14s %-17s %s#%s\n' "$t" "${MODULE[$t]}" "${CLASS[$t]}" "${METHOD[$t]}"
    done
    exit 0
fi
[ $# -eq 2 ] || usage
TARGET=$1
DURATION=$2
[[ "$DURATION" =~ ^[0-9]+(s|m|h)$ ]] || { echo "DURATION must look like 30s, 10m or 1h, got '$DURATION'" >&2; exit 2; }

mkdir -p target/fuzz
SUMMARY=target/fuzz/summary.tsv

run_target() {
    local t=$1
    [ -n "${MODULE[$t]:-}" ] || { echo "unknown target '$t' (targets: ${ORDER[*]})" >&2; exit 2; }
    local log="target/fuzz/$t.log"
    local coverage="$PWD/target/fuzz/$t.coverage.txt"
    local includes='io.captioner.**'
    if [ -n "${EXTRA[$t]}" ]; then
        includes="$includes:${EXTRA[$t]}"
    fi
    echo "== fuzzing $t (${CLASS[$t]}#${METHOD[$t]}) for $DURATION; log: $log"
    local status=0
    # shellcheck disable=SC2086 # FUZZ_MAVEN_FLAGS holds several flags on purpose
    JAZZER_FUZZ=1 ./mvnw -B ${FUZZ_MAVEN_FLAGS:-} -pl "${MODULE[$t]}" -am test \
        -Dtest="${CLASS[$t]}#${METHOD[$t]}" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.max_duration="$DURATION" \
        -Djazzer.hooks=true \
        -Djazzer.instrumentation_includes="$includes" \
        -Djazzer.custom_hook_includes="$includes" \
        -Djazzer.coverage_report="$coverage" \
        -Djazzer.internal.arg.0=fuzz \
        -Djazzer.internal.arg.1=-timeout=1 \
        -Djazzer.internal.arg.2=-max_len=65536 \
        -Djazzer.internal.arg.3=-print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    local runs
    runs=$(grep -aEo '^Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+' || echo "?")
    local cov
    cov=$(grep -aEo '^#[0-9]+[[:space:]]+DONE[[:space:]]+cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || echo "?")
    local result=ok
    [ "$status" -eq 0 ] || result="FINDING or failure (exit $status), see $log"
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$DURATION" "$runs" "$cov" "$result" | tee -a "$SUMMARY"
    grep -aE '^#[0-9]+.*(INITED|DONE)' "$log" | tail -2 || true
    return "$status"
}

if [ "$TARGET" = all ]; then
    failed=0
    for t in "${ORDER[@]}"; do
        run_target "$t" || failed=1
    done
    exit "$failed"
fi
run_target "$TARGET"
