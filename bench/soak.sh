#!/usr/bin/env bash
# Runs every example pipeline repeatedly, several copies at once in fresh workspaces, beside a CPU hog, and counts
# the runs that did not exit 0. A failed run's log (.pipelines/runs/latest.json, with each failed stage's error and,
# for an unforeseen failure, its stack) and its console output are kept under bench/soak-failures/.
#   bench/soak.sh [ROUNDS] [COPIES]        (defaults 3 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
copies=${2:-2}
dotnet build src/Cli -c Release -v quiet -nologo > /dev/null
cli=$(find src/Cli/bin/Release/net10.0 -name pipelines.dll | head -1)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pipelines-soak.XXXXXX")
failures=bench/soak-failures
mkdir -p "$failures"

# Load beyond the runs themselves: one busy loop per core.
hogs=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
trap 'kill "${hogs[@]}" 2>/dev/null || true; rm -rf "$scratch"' EXIT

workspace() { # a fresh copy of the files the examples read
  local dir=$1
  mkdir -p "$dir"
  cp -r pipelines data-schemas "$dir"/
  rm -rf "$dir"/pipelines/FineTune
}

printf '%-12s %6s %6s %9s %s\n' pipeline runs failed seconds "load (1 min) at start"
for pipeline in quickstart spam synthetic finetune; do
  runs=0 failed=0 started=$SECONDS load=$(cut -d' ' -f1 /proc/loadavg)
  for round in $(seq "$rounds"); do
    pids=()
    for copy in $(seq "$copies"); do
      dir="$scratch/$pipeline-$round-$copy"
      workspace "$dir"
      (cd "$dir" && NO_COLOR=1 dotnet "$OLDPWD/$cli" run "pipelines/$pipeline.yaml" > console.txt 2>&1) & pids+=($!)
    done
    for i in "${!pids[@]}"; do
      runs=$((runs + 1))
      if ! wait "${pids[$i]}"; then
        failed=$((failed + 1))
        dir="$scratch/$pipeline-$round-$((i + 1))"
        keep="$failures/$pipeline-$round-$((i + 1))"
        mkdir -p "$keep"
        cp "$dir/console.txt" "$keep/"
        cp "$dir/.pipelines/runs/latest.json" "$keep/" 2>/dev/null || echo "no run log" > "$keep/latest.json"
      fi
      rm -rf "$scratch/$pipeline-$round-$((i + 1))"
    done
  done
  printf '%-12s %6d %6d %9d %s\n' "$pipeline" "$runs" "$failed" $((SECONDS - started)) "$load"
done
