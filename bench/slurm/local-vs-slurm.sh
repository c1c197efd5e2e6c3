#!/usr/bin/env bash
# A pipeline computed in full (--force) locally and with --executor slurm on the local 2-node cluster, interleaved
# A B A B so drift in the machine's load hits both alike; prints each wall time, the medians, the load, and the
# overhead per submitted job. Usage: bench/slurm/local-vs-slurm.sh [ROUNDS] [PIPELINE] [RUN ARGS...]
# (default 3 rounds of pipelines/quickstart.yaml; Release build used). The main pipeline with two trials in flight:
#   bench/slurm/local-vs-slurm.sh 2 pipelines/finetune.yaml -S tune.n_jobs=2
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
pipeline="${2:-pipelines/quickstart.yaml}"
run_args=("${@:3}")
repo="$PWD"
state="$(mktemp -d /tmp/pipelines-bench-slurm.XXXX)"
dotnet build src/Cli/Cli.csproj -c Release -v q -nologo >/dev/null
cli="$repo/src/Cli/bin/Release/net10.0/linux-x64/pipelines"
PIPELINES_SLURM_PORT=18817 deploy/slurm/local-cluster.sh start "$state/cluster"
export SLURM_CONF="$state/cluster/slurm.conf"
trap 'PIPELINES_SLURM_PORT=18817 deploy/slurm/local-cluster.sh stop "$state/cluster"; rm -rf "$state"' EXIT
for ws in local slurm; do
  mkdir -p "$state/$ws"
  cp -r pipelines data-schemas "$state/$ws/"
  rm -rf "$state/$ws/pipelines/FineTune"
done
# One warm-up each: the first job after the cluster starts waits for node registration.
(cd "$state/local" && "$cli" run pipelines/quickstart.yaml --no-color >/dev/null)
(cd "$state/slurm" && "$cli" run pipelines/quickstart.yaml --no-color --executor slurm >/dev/null)
rm -f "$state/slurm/.pipelines/slurm/submissions.log"
declare -a local_s slurm_s
for r in $(seq "$rounds"); do
  for ws in local slurm; do
    extra=(); [ "$ws" = slurm ] && extra=(--executor slurm)
    start=$(date +%s.%N)
    (cd "$state/$ws" && "$cli" run "$pipeline" --no-color --force "${run_args[@]}" "${extra[@]}" >/dev/null)
    s=$(echo "$(date +%s.%N) - $start" | bc)
    echo "round $r $ws ${s}s   load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$ws" = local ]; then local_s+=("$s"); else slurm_s+=("$s"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ml=$(median "${local_s[@]}"); ms=$(median "${slurm_s[@]}")
cmp -s "$state/local/pipelines.lock" "$state/slurm/pipelines.lock" && same=identical || same=DIFFERENT
jobs=$(( $(wc -l < "$state/slurm/.pipelines/slurm/submissions.log") / rounds ))
echo "median local ${ml}s, slurm ${ms}s; $jobs jobs per slurm run; pipelines.lock $same (${pipeline} ${run_args[*]})"
echo "extra wall time per submitted job: $(echo "($ms - $ml) / $jobs" | bc -l | cut -c1-5)s (quickstart: a chain of 4 of its 5 jobs is the critical path)"
# Where a job's time goes, from the last slurm run: submission -> the stage starting on its node (queueing, job
# launch, the worker's process start) and the stage computing there.
python3 - "$state/slurm/.pipelines/slurm" <<'PY'
import json, os, sys
from datetime import datetime
root = sys.argv[1]
def t(s): return datetime.fromisoformat(s.rstrip('Z')[:26])
last = {}
for line in open(os.path.join(root, 'submissions.log')):
    if len(line.split()) != 4: continue  # not a submission line
    when, job, fp, stage = line.split()
    last[fp] = (t(when), job, stage)
waits, computes = [], []
for fp, (submitted, job, stage) in last.items():
    a = json.load(open(os.path.join(root, fp, 'answer.json')))
    if a['job_id'] != job: continue
    wait = (t(a['started']) - submitted).total_seconds(); comp = (t(a['finished']) - t(a['started'])).total_seconds()
    waits.append(wait); computes.append(comp)
    print(f"  {stage:10} job {job:>4} on {a['node']}: submit->stage start {wait:5.2f}s, stage {comp:5.2f}s")
print(f"  mean submit->stage start {sum(waits)/len(waits):.2f}s over {len(waits)} jobs")
PY
