#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the campaign integration test (issue 16) and for trying
# `sbatch submit.sh` by hand. Run as root.
#
#   scripts/slurm/local-cluster.sh up     install slurm-wlm + munge if missing, write a munge key and slurm.conf,
#                                         start munged, slurmctld and slurmd; waits until the node is idle
#   scripts/slurm/local-cluster.sh down   stop the three daemons by the pids recorded at `up` (nothing else)
#   scripts/slurm/local-cluster.sh status the daemons' pids and `sinfo`
#
# State (pid files, spool, logs) lives in $EPDI_SLURM_STATE (default /tmp/epdi-slurm). slurm.conf is written to
# /etc/slurm/slurm.conf with a marker line; a slurm.conf there without the marker is kept as slurm.conf.epdi-backup
# and put back by `down`. Settings as in the issue: SlurmUser/SlurmdUser root, auth/munge, proctrack/linuxproc,
# task/none, select/cons_tres with CR_Core, ReturnToService=2, one node (this host, all its CPUs), one default
# partition `debug`.
set -euo pipefail

STATE=${EPDI_SLURM_STATE:-/tmp/epdi-slurm}
CONF=/etc/slurm/slurm.conf
MARKER='# written by EPDI Lab scripts/slurm/local-cluster.sh'

need_root() {
  if [ "$(id -u)" != 0 ]; then echo "local-cluster.sh: run as root (it starts munged, slurmctld and slurmd)" >&2; exit 1; fi
}

install_packages() {
  if command -v slurmctld >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then return; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_munge_key() {
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ] || [ "$(stat -c %s /etc/munge/munge.key)" != 1024 ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  chmod 755 /run/munge
}

write_conf() {
  local host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  mkdir -p /etc/slurm "$STATE/ctld" "$STATE/d"
  if [ -f "$CONF" ] && ! grep -qF "$MARKER" "$CONF"; then cp "$CONF" "$CONF.epdi-backup"; fi
  cat > "$CONF" <<CONF
$MARKER
ClusterName=epdi
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
JobCompType=jobcomp/none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

up() {
  need_root
  install_packages
  mkdir -p "$STATE"
  write_munge_key
  write_conf
  if ! alive "$STATE/munged.pid"; then
    munged --force --pid-file="$STATE/munged.pid" 2>>"$STATE/munged.log"
    for _ in $(seq 50); do [ -s "$STATE/munged.pid" ] && break; sleep 0.1; done
  fi
  alive "$STATE/slurmctld.pid" || slurmctld
  alive "$STATE/slurmd.pid" || slurmd
  for _ in $(seq 120); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "local Slurm up: node $(hostname -s), $(nproc) CPUs, partition debug (state in $STATE)"
      return 0
    fi
    sleep 0.5
  done
  echo "local-cluster.sh: the node did not come up; see $STATE/slurmctld.log and $STATE/slurmd.log" >&2
  sinfo >&2 || true
  exit 1
}

stop_pid() {
  local file=$1
  if alive "$file"; then
    local pid
    pid=$(cat "$file")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

down() {
  need_root
  stop_pid "$STATE/slurmd.pid"
  stop_pid "$STATE/slurmctld.pid"
  stop_pid "$STATE/munged.pid"
  if [ -f "$CONF.epdi-backup" ]; then mv "$CONF.epdi-backup" "$CONF"; fi
  echo "local Slurm down"
}

status() {
  for d in munged slurmctld slurmd; do
    if alive "$STATE/$d.pid"; then echo "$d: pid $(cat "$STATE/$d.pid")"; else echo "$d: not running"; fi
  done
  sinfo 2>/dev/null || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
