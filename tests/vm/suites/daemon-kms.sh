# devnsd with devns_kms: a persona's DRM card in its /dev/dri, under its
# name and as card0, no other persona's card; the physical GPU's render
# nodes (vgem's here: bochs has none) only with GPU=share.
# devns-vm: timeout 300
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
# Not under /tmp: a persona's /tmp is its own; it answers in it.
t=/srv/devns-daemon-kms

need_built "$bin"/devnsd
modprobe bochs
modprobe vgem
check render-node wait_for 10 ls /dev/dri/renderD128 || exit 0
modprobe drm_shmem_helper
check load load_devns devns_kms || exit 0
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd-kms.log" 2>/dev/null' EXIT

daemon_dir $t
# The init records its /dev/dri (name, device numbers, owner as it sees
# it) in its /tmp, then sleeps.
cat >$t/probe.sh <<'PROBE'
#!/bin/sh
stat -c '%n %t:%T %U' /dev/dri/* >/tmp/dri
touch /tmp/ready
exec sleep 100000
PROBE
printf '[Persona]\nRoot=/\nInit=/bin/sh %s plain\nDevices=kms\n' $t/probe.sh \
	>$t/personas.d/plain.conf
printf '[Persona]\nRoot=/\nInit=/bin/sh %s shared\nGPU=share\nDevices=input kms\n' \
	$t/probe.sh >$t/personas.d/shared.conf
start_devnsd $t && pass devnsd-starts || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }
check start ctl start plain shared
pl=$(prop plain leader) sl=$(prop shared leader)
check inits-ran wait_for 30 test -f /proc/$pl/root/tmp/ready -a -f /proc/$sl/root/tmp/ready ||
	exit 0
cp /proc/$pl/root/tmp/dri $t/dri-plain
cp /proc/$sl/root/tmp/dri $t/dri-shared
cat $t/dri-plain $t/dri-shared

# rdev DEVNODE: major:minor in hex, as stat's %t:%T.
rdev() { stat -c '%t:%T' "$1"; }
P=$(persona_card "$(prop plain id | sed 's/^/devns/')")
S=$(persona_card "$(prop shared id | sed 's/^/devns/')")
check cards-made test -n "$P" -a -n "$S"
check own-card grep -qx "/dev/dri/${P##*/} $(rdev "$P") root" $t/dri-plain
check own-card-as-card0 grep -qx "/dev/dri/card0 $(rdev "$P") root" $t/dri-plain
check not-others-card test -z "$(grep " $(rdev "$S") " $t/dri-plain)"
check no-render-without-gpu-share test -z "$(grep renderD $t/dri-plain)"
check no-physical-card test -z "$(grep " $(rdev "$(phys_card)") " $t/dri-plain $t/dri-shared)"
check render-with-gpu-share grep -q "^/dev/dri/renderD128 $(rdev /dev/dri/renderD128) " $t/dri-shared
check shared-own-card0 grep -qx "/dev/dri/card0 $(rdev "$S") root" $t/dri-shared

# A program of the persona finds its card as card0, connected.
nsenter -t "$pl" -m -p -- "$modetest" -M devns_kms -c \
	>$t/modetest.out 2>&1
check modetest-in-persona grep -q '[[:space:]]connected[[:space:]]' $t/modetest.out
kill "$pl" "$sl"
wait_for 10 modprobe -r vgem
