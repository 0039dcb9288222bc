#!/usr/bin/env bash
# The benchmark, runnable by anyone on Debian: installs its references (nginx, wrk, md5sum) and matplotlib if
# missing, builds the app, then runs bench/bench.py with the arguments given (see bench/README.md).
#   bench/run.sh                 # the full run: results in bench/results/<date>.md and .png
#   bench/run.sh --smoke         # tiny sizes, one run each (what CI runs so the script does not rot)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
# the scale case: a PostgreSQL catalog (Debian's postgresql: the server binaries and psql)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && command -v psql >/dev/null || missing+=(postgresql)
# the rgw case: a single-node Ceph cluster (installed without recommends: the daemons alone)
ceph=()
command -v radosgw >/dev/null || ceph=(radosgw ceph-mon ceph-osd ceph-common)
if [ ${#missing[@]} -gt 0 ] || [ ${#ceph[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ${ceph[*]}"
  SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $SUDO apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  [ ${#ceph[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${ceph[@]}" >/dev/null
fi

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  ./mvnw -B -q package -DskipTests
fi
# Debian's python3 (where python3-matplotlib lives), whatever python3 comes first on the PATH
exec /usr/bin/python3 bench/bench.py "$@"
