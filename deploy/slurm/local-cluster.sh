#!/usr/bin/env bash
# A 2-node Slurm cluster on this machine, for the cluster tests and for trying `--executor slurm`.
#   deploy/slurm/local-cluster.sh start|stop|env [STATE_DIR]
# Everything (slurm.conf, state, spool, logs, pid files) lives in STATE_DIR (default: $PIPELINES_SLURM_STATE or
# /tmp/pipelines-slurm); nothing system-wide is edited except the munge key when none exists. Point the Slurm
# commands at the cluster with: eval "$(deploy/slurm/local-cluster.sh env STATE_DIR)".
# Ports: $PIPELINES_SLURM_PORT (default 16817) for slurmctld, the next two for node1 and node2.
set -euo pipefail

cmd="${1:-}"
state="${2:-${PIPELINES_SLURM_STATE:-/tmp/pipelines-slurm}}"
port="${PIPELINES_SLURM_PORT:-16817}"
conf="$state/slurm.conf"
nodes=(node1 node2)

die() { echo "local-cluster: $*" >&2; exit 1; }

install_packages() {
  command -v slurmctld >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && return
  echo "local-cluster: installing slurm-wlm and munge" >&2
  [ "$(id -u)" = 0 ] || die "slurm-wlm is missing and installing it needs root"
  # Test projects start at once and PostgreSQL's script may be installing too: one apt-get at a time (apt's own
  # lock makes a second apt-get fail at once instead of waiting).
  (
    flock -w 1200 9 || die "waited 20 minutes for another apt-get"
    if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
      apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >&2
    fi
  ) 9>"${TMPDIR:-/tmp}/pipelines-apt.lock"
}

# munged must run before slurmctld; an already running one (the system's) is reused.
start_munge() {
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  if munge -n >/dev/null 2>&1; then return; fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  touch "$state/started-munged"
  for _ in $(seq 50); do munge -n >/dev/null 2>&1 && return; sleep 0.1; done
  die "munged did not start"
}

write_conf() {
  local host; host="$(hostname -s)"
  mkdir -p "$state/ctld" "$state/log" "$state/spool"
  cat > "$conf" <<CONF
ClusterName=pipelines
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool/%n
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd-%n.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd-%n.log
# In a container: no cgroups, so track processes by parentage and bind no tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
# Start a batch job when it is submitted, not at the next 3-second batch (batch_sched_delay's default).
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
# A node set DOWN by hand stays down until resumed (the requeue test relies on it).
ReturnToService=1
# Finished jobs stay visible to scontrol for 5 minutes: the driver reads their end state there (no slurmdbd, no sacct).
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmdTimeout=30
NodeName=node1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + 1)) CPUs=1 RealMemory=2000 State=UNKNOWN
NodeName=node2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$((port + 2)) CPUs=1 RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=node1,node2 Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  install_packages
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"; conf="$state/slurm.conf"
  [ -f "$state/slurmctld.pid" ] && kill -0 "$(cat "$state/slurmctld.pid")" 2>/dev/null && die "already running in $state"
  write_conf
  start_munge
  export SLURM_CONF="$conf"
  slurmctld -c
  for n in "${nodes[@]}"; do slurmd -N "$n"; done
  # Wait until both nodes take jobs.
  for _ in $(seq 150); do
    if [ "$(sinfo -h -N -o '%N %t' 2>/dev/null | grep -cE ' (idle|mix|alloc)$')" = "${#nodes[@]}" ]; then
      echo "local-cluster: up in $state (SLURM_CONF=$conf)" >&2; return
    fi
    sleep 0.2
  done
  sinfo -N >&2 || true
  die "nodes did not come up; see $state/log"
}

stop() {
  [ -d "$state" ] || return 0
  export SLURM_CONF="$conf"
  [ -f "$conf" ] && scancel --full --quiet -u "$(id -un)" 2>/dev/null || true
  for pidfile in "$state"/slurmd-*.pid "$state/slurmctld.pid"; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ -f "$state/started-munged" ] && [ -f /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
    rm -f "$state/started-munged"
  fi
  echo "local-cluster: stopped ($state)" >&2
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$(cd "$state" 2>/dev/null && pwd || echo "$state")/slurm.conf" ;;
  *) echo "usage: $0 start|stop|env [STATE_DIR]" >&2; exit 2 ;;
esac
