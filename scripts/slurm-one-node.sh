#!/bin/sh
# Runs the README's Slurm job-array example on a one-node Slurm started
# here (Debian's slurm-wlm and munge), with its own configuration, ports,
# munge socket and state under build/slurm; stops it afterwards.
#   make slurm-example   (as root; the daemons run as root)
# The array's three tasks each run one shard of a small batch; the script
# checks that together they rendered every report once.
set -eu
ZPGEN=${ZPGEN:-$PWD/bin/zpgen}
for p in slurmctld slurmd sbatch munged; do
  command -v $p >/dev/null || { echo "slurm-example: needs slurm-wlm and munge (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
D=$PWD/build/slurm
rm -rf "$D"
mkdir -p "$D/state" "$D/spool" "$D/munge" "$D/work/out"
chmod 700 "$D/munge"
H=$(hostname -s)
dd if=/dev/urandom of="$D/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$D/munge/munge.key"
cat >"$D/slurm.conf" <<CONF
ClusterName=zpgen
SlurmctldHost=$H
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.sock
CryptoType=crypto/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$H CPUs=$(nproc) State=UNKNOWN
PartitionName=zp Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$D/slurm.conf
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  sleep 1
}
trap cleanup EXIT
munged --force --key-file="$D/munge/munge.key" --socket="$D/munge/munge.sock" \
  --pid-file="$D/munge/munged.pid" --log-file="$D/munge/munged.log" \
  --seed-file="$D/munge/munged.seed" -F >"$D/munged.out" 2>&1 &
pids="$pids $!"
sleep 1
slurmctld -D -i >"$D/slurmctld.out" 2>&1 &
pids="$pids $!"
sleep 2
slurmd -D -N "$H" >"$D/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until sinfo -h -o %T 2>/dev/null | grep -q idle; do
  i=$((i + 1))
  [ $i -lt 30 ] || { echo "slurm-example: the node did not come up; see $D/*.log" >&2; exit 3; }
  sleep 1
done
# a small manifest: the three samples, twice over under other ids
R=$PWD
{ for k in 1 2; do
    printf '{"id": "liwan-%d", "template": "%s/templates/dept-self-eval-report.xml", "data": "%s/data/liwan-agri-2023.json", "output": "out/liwan-%d.pdf"}\n' $k "$R" "$R" $k
    printf '{"id": "lihu-%d", "template": "%s/templates/dept-self-eval-report.xml", "data": "%s/data/lihu-2023.json", "output": "out/lihu-%d.pdf"}\n' $k "$R" "$R" $k
    printf '{"id": "panyu-%d", "template": "%s/templates/dept-self-eval-table.xml", "data": "%s/data/panyu-agri-2021-table.json", "output": "out/panyu-%d.pdf"}\n' $k "$R" "$R" $k
  done; } >"$D/work/reports.jsonl"
# the README's job script, with the paths of this run
cat >"$D/work/regen.sh" <<JOB
#!/bin/sh
#SBATCH --array=0-2 --cpus-per-task=1 --requeue --output=$D/work/task-%a.log
$ZPGEN batch $D/work/reports.jsonl --jobs "\${SLURM_CPUS_PER_TASK:-1}" \\
      --report "$D/work/run-\$SLURM_ARRAY_TASK_ID.jsonl"
rc=\$?
[ \$rc -eq 3 ] && scontrol requeue "\$SLURM_JOB_ID"
exit \$rc
JOB
sbatch --wait "$D/work/regen.sh"
n=$(cat "$D"/work/run-*.jsonl | grep -c '"status":"rendered"')
ids=$(cat "$D"/work/run-*.jsonl | grep '"status":"rendered"' | sed 's/.*"id":"\([^"]*\)".*/\1/' | sort -u | wc -l)
echo "slurm-example: $n reports rendered by $(ls "$D"/work/run-*.jsonl | wc -l) array tasks, $ids distinct"
[ "$n" = 6 ] && [ "$ids" = 6 ]
