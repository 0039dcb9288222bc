#!/usr/bin/env bash
# Starts a throwaway single-node Ceph cluster on loopback: one monitor, one OSD keeping its data in memory
# (memstore), and a RADOS Gateway (beast) on the given port with one S3 user. Every file, socket and pid file lives
# under DIR; the daemons run in the background and are stopped by killing the pids in DIR/run/*.pid.
# Usage: ceph-rgw.sh DIR RGW_PORT ACCESS_KEY SECRET_KEY [MEMSTORE_BYTES]
#        (needs Debian's ceph-mon ceph-osd radosgw ceph-common; MEMSTORE_BYTES, default 4 GiB, bounds the OSD's memory)
set -euo pipefail
D=$1 RGW_PORT=$2 ACCESS_KEY=$3 SECRET_KEY=$4 MEMSTORE_BYTES=${5:-4294967296}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MON_V2=$(free_port) MON_V1=$(free_port)
mkdir -p "$D"/{mon,osd,run,log,rgw}
FSID=$(cat /proc/sys/kernel/random/uuid) OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon max pg per osd = 1000
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
keyring = $D/keyring
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $D/rgw
# deleted objects are reclaimed within seconds, not after RGW's default two hours: the OSD holds them in memory
rgw gc obj min wait = 0
rgw gc processor period = 5
CONF
C=(-c "$D/ceph.conf")
# cephx with keys made up front: without authentication radosgw retries its monitor connection forever
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.rgw --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_V2,v1:127.0.0.1:$MON_V1]" "$D/monmap" >/dev/null
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon "${C[@]}" -i a
ceph "${C[@]}" osd new "$OSD_UUID" >/dev/null
ceph-osd "${C[@]}" -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>/dev/null
ceph-osd "${C[@]}" -i 0 2>/dev/null
for _ in $(seq 1 120); do ceph "${C[@]}" osd dump 2>/dev/null | grep -q '^osd.0 up' && break; sleep 0.5; done
ceph "${C[@]}" osd dump 2>/dev/null | grep -q '^osd.0 up' || { echo "osd.0 did not come up; see $D/log" >&2; exit 1; }
radosgw "${C[@]}" -n client.rgw
radosgw-admin "${C[@]}" user create --uid=files --display-name=files --access-key="$ACCESS_KEY" \
  --secret-key="$SECRET_KEY" >/dev/null
