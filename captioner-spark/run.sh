#!/usr/bin/env bash
# Runs a captioner Spark job embedded in one JVM (local[*] unless --master says otherwise), with
# Spark on the class path and the Java 17 options Spark needs; builds the module first if needed.
#
#   captioner-spark/run.sh --model M --images PATH --out DIR [--master URL] [--beam K] [--format parquet|json]
#   captioner-spark/run.sh features --encoder resnet50|vgg16 --weights W --images PATH --out DIR [--spatial]
#   captioner-spark/run.sh benchmark --model M --images DIR [--master local[2]] [--batch-size N] [--beam K]
#
# The first form is io.captioner.spark.BatchCaption, the second io.captioner.spark.ExtractFeatures,
# the third io.captioner.spark.CaptionBenchmark; --help lists each one's options. Each ends with one
# JSON line on stdout; Spark's warnings go to stderr.
# Environment: SKIP_BUILD=1 uses target/ as it is; JAVA_OPTS is passed to the JVM (e.g. -Xmx8g);
# SPARK_LOCAL_IP defaults to 127.0.0.1 for local masters, so Spark binds to loopback only.
# On a cluster, use spark-submit with target/captioner-spark.jar instead (README, "Spark").
set -euo pipefail
cd "$(dirname "$0")/.."
module=captioner-spark
jar="$module/target/captioner-spark.jar"
classpath="$module/target/launcher/spark-classpath.txt"
slf4j="$module/target/launcher/slf4j-classpath.txt"
options="$module/target/launcher/java-options"

main=io.captioner.spark.BatchCaption
case "${1:-}" in
  features) main=io.captioner.spark.ExtractFeatures; shift ;;
  benchmark) main=io.captioner.spark.CaptionBenchmark; shift ;;
esac

# Build when an output is missing or any source or POM is newer than the jar.
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  stale=0
  if [[ ! -f "$jar" || ! -f "$classpath" || ! -f "$slf4j" || ! -f "$options" ]]; then
    stale=1
  elif [[ -n "$(find pom.xml captioner-core captioner-models "$module" \( -path '*/target' -prune \) -o \
        -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]]; then
    stale=1
  fi
  if [[ "$stale" == 1 ]]; then
    echo "run.sh: building $module (./mvnw -pl $module -am package -DskipTests)" >&2
    ./mvnw -B -q -pl "$module" -am package -DskipTests >&2
  fi
fi

# Bind to loopback unless a non-local master is given (then the cluster must reach this driver).
master=""
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == --master ]]; then j=$((i + 1)); master="${!j:-}"; fi
  if [[ "${!i}" == --master=* ]]; then master="${!i#--master=}"; fi
done
if [[ -z "$master" || "$master" == local* ]]; then
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi

# shellcheck disable=SC2086 # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} @"$options" -Dai.djl.offline="${DJL_OFFLINE:-true}" \
  -Dlog4j2.configurationFile="$module/target/launcher/log4j2.properties" \
  -cp "$jar:$(cat "$slf4j"):$(cat "$classpath")" "$main" "$@"
