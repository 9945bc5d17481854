# devns-vm: own-boot
# devns-vm: timeout 900
# devns-vm: one-kernel
# The Debian packages as installed: tests/package/run did dpkg -i of both
# in a throwaway root on the host, where DKMS built the modules for this
# kernel (natively; in this VM it takes tens of minutes), and kept what the
# install wrote in build/deb/installed/.  run-all boots it on 6.1 only (CI
# time); tests/package/run builds for 6.12 too, where
# `tests/vm/run -k 6.12... -s package` runs it.  Here that goes onto the guest's
# root: the modules load from the modules-load.d list, devnsd runs from its
# unit's command line on a system bus with polkit and udev; polkit lets the
# active session's user switch and nobody else, udev keeps mirrors from the
# host's session; the bus starts devnsd on demand; dpkg --purge (no build:
# quick here too, but for depmod of each kernel built: minutes) unloads
# nothing and leaves nothing.
. "$DEVNS_TOP/tests/vm/lib.sh"
installed=$DEVNS_TOP/build/deb/installed
kbd='AT Translated Set 2 keyboard'
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

[ -d "$installed/usr/lib/modules/$DEVNS_KVER/updates/dkms" ] ||
	{ fail installed "no modules built for $DEVNS_KVER in $installed (tests/package/run $DEVNS_KVER)"; exit 0; }
check clean-before test ! -e /usr/sbin/devnsd
# man-db would index every page on its trigger (minutes here)
rm -f /var/lib/man-db/auto-update
cp -a "$installed/." / && pass install-copied || { fail install-copied "cp failed"; exit 0; }
check dpkg-installed dpkg -s devnsd devns-dkms
owned=/tmp/devns-owned
dpkg -L devnsd devns-dkms >$owned
modprobe evdev
check modules-load modprobe -a $(grep -v '^#' /usr/lib/modules-load.d/devns.conf)
check modules-from-dkms grep -q "/updates/dkms/devns_core.ko" <(modinfo -n devns_core)

# The system bus (the packages' policies and activation files), polkitd.
start_bus() {
	mkdir -p /run/dbus
	rm -f /run/dbus/system_bus_socket
	dbus-daemon --system --nofork --nopidfile >$DEVNS_OUT/bus.log 2>&1 &
	wait_for 10 test -S /run/dbus/system_bus_socket
	# as polkit.service runs it: the bus lets only user polkitd own its name
	setpriv --reuid=polkitd --regid=polkitd --init-groups \
		/usr/lib/polkit-1/polkitd --no-debug >$DEVNS_OUT/polkitd.log 2>&1 &
	polkitd_pid=$!
}

start_stack() {
	start_bus
	cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/devnsd.service)
	$cmd >>$DEVNS_OUT/devnsd.log 2>&1 &
	devnsd_pid=$!
	wait_for 30 devnsctl list
}

stop_stack() {
	kill $polkitd_pid $(pidof devnsd) 2>/dev/null
	wait $polkitd_pid 2>/dev/null
	wait_for 10 sh -c '! pidof devnsd'
	pkill -x dbus-daemon
	wait_for 10 sh -c '! pidof dbus-daemon'
}

start_stack && pass devnsd-from-unit || { fail devnsd-from-unit "$(cat $DEVNS_OUT/devnsd.log)"; exit 0; }
check list-answers devnsctl list
check version devnsctl --version

cat >/etc/devns/personas.d/work.conf <<'CONF'
[Persona]
Root=/
Init=/bin/sleep 100000
StopTimeoutSec=1
CONF
out=$(devnsctl reload)
grep -q '^work: new persona$' <<<"$out" && pass reload-new || fail reload-new "$out"
check start-as-root devnsctl start work

## Reload and SIGHUP (the unit's ExecReload): a running persona keeps the
## settings it started with and says which keys its file changed
cat >>/etc/devns/personas.d/work.conf <<'CONF'
TimeNamespace=yes
GPU=share
CONF
out=$(devnsctl reload)
grep -qx "work: running, keeps the settings it started with; its file's new TimeNamespace, GPU apply after it stops and devnsd reloads" <<<"$out" &&
	pass reload-running-keeps || fail reload-running-keeps "$out"
printf '[Persona]\nRoot=/\nInit=/bin/true\n' >/etc/devns/personas.d/spare.conf
MAINPID=$devnsd_pid sh -c "$(sed -n 's/^ExecReload=//p' /lib/systemd/system/devnsd.service)"
check reload-sighup-new wait_for 10 devnsctl status spare
rm /etc/devns/personas.d/spare.conf
out=$(devnsctl reload)
grep -qx 'spare: its file is gone, persona removed' <<<"$out" && ! devnsctl status spare >/dev/null 2>&1 &&
	pass reload-gone-removed || fail reload-gone-removed "$out"

## polkit: the active session's user may switch, nobody else; start asks
out=$(nobody devnsctl switch work 2>&1)
[ $? = 1 ] && grep -q 'active local session' <<<"$out" &&
	[ "$(devnsctl show -p ActivePersona --value)" = root ] &&
	pass switch-refused-without-session || fail switch-refused-without-session "$out"
# a logind session as libsystemd reads it: session-1.scope, active, local
mkdir -p /run/systemd/sessions /run/systemd/users /run/systemd/system
printf 'UID=65534\nUSER=nobody\nACTIVE=1\nSTATE=active\nREMOTE=0\nTYPE=tty\nCLASS=user\nSEAT=seat0\nVTNR=1\nLEADER=1\n' \
	>/run/systemd/sessions/1
printf 'NAME=nobody\nSTATE=active\nSESSIONS=1\nDISPLAY=1\n' >/run/systemd/users/65534
scope=/sys/fs/cgroup/user.slice/user-65534.slice/session-1.scope
mkdir -p $scope
in_session() {
	bash -c 'echo $$ >"$0/cgroup.procs" && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' $scope "$@"
}
out=$(in_session devnsctl switch work 2>&1) && [ "$(devnsctl show -p ActivePersona --value)" = work ] &&
	pass switch-allowed-in-active-session || fail switch-allowed-in-active-session "$out $(tail -3 $DEVNS_OUT/polkitd.log)"
sed -i 's/^ACTIVE=1/ACTIVE=0/; s/^STATE=active/STATE=online/' /run/systemd/sessions/1
# polkit also asks whether the user is active anywhere
sed -i 's/^STATE=active/STATE=online/' /run/systemd/users/65534
out=$(in_session devnsctl switch root 2>&1)
[ $? = 1 ] && [ "$(devnsctl show -p ActivePersona --value)" = work ] &&
	pass switch-refused-inactive-session || fail switch-refused-inactive-session "$out"
out=$(in_session devnsctl stop work 2>&1)
[ $? = 1 ] && grep -q 'authentication is required' <<<"$out" &&
	[ "$(devnsctl show work -p State --value)" = running ] &&
	pass stop-needs-admin || fail stop-needs-admin "$out"
out=$(nobody devnsctl start work 2>&1)
[ $? = 1 ] && grep -q 'authentication is required' <<<"$out" &&
	pass start-needs-admin || fail start-needs-admin "$out"
check switch-root-as-root devnsctl switch root
rm -rf /run/systemd
rmdir $scope /sys/fs/cgroup/user.slice/user-65534.slice /sys/fs/cgroup/user.slice

## udev: mirrors are root's, hidden from libinput, and name their persona
/lib/systemd/systemd-udevd --daemon >$DEVNS_OUT/udevd.log 2>&1
udevadm trigger --action=add && udevadm settle -t 60
mirror=$(ls -d /sys/devices/virtual/devns/devns*/input*/event* 2>/dev/null | head -n1)
if [ -n "$mirror" ]; then
	node=/dev/input/$(basename $mirror)
	info=$(udevadm info "$node")
	grep -q '^E: DEVNS_PERSONA=work$' <<<"$info" && grep -q '^E: LIBINPUT_IGNORE_DEVICE=1$' <<<"$info" &&
		! grep -q '^G:.*uaccess' <<<"$info" && pass udev-mirror-properties || fail udev-mirror-properties "$info"
	expect_eq udev-mirror-mode "600 root root" "$(stat -c '%a %U %G' $node)"
	n=$(libinput list-devices 2>/dev/null | grep -c "^Device: *$kbd$")
	expect_eq libinput-skips-mirrors 1 "$n"
else
	fail udev-mirror "no mirror below a devns device: $(ls /sys/devices/virtual/devns/*/)"
fi
# devns_kms's card for the persona: no seat of logind's, root's alone
card=$(ls -d /sys/devices/virtual/devns/devns*/devns_kms.*/drm/card* 2>/dev/null | head -n1)
if [ -n "$card" ]; then
	node=/dev/dri/$(basename $card)
	info=$(udevadm info "$node")
	grep -q '^E: DEVNS_PERSONA=work$' <<<"$info" && grep -q '^E: SYSTEMD_READY=0$' <<<"$info" &&
		! grep -q '^G:.*\(uaccess\|seat\)' <<<"$info" && pass udev-card-properties || fail udev-card-properties "$info"
	expect_eq udev-card-mode "600 root root" "$(stat -c '%a %U %G' $node)"
else
	fail udev-card "no devns_kms card below a devns device: $(ls /sys/devices/virtual/devns/*/)"
fi
udevadm control --exit

check stop-as-root devnsctl stop work
wait_for 10 sh -c '[ "$(devnsctl show work -p State --value)" = stopped ]'
out=$(devnsctl reload)
expect_eq reload-stopped-takes-file "" "$out"
stop_stack

## no devnsd running: the bus starts it (D-Bus activation) for the first call
start_bus
out=$(devnsctl list 2>&1) && pidof devnsd >/dev/null &&
	pass dbus-activation || fail dbus-activation "$out $(cat $DEVNS_OUT/bus.log)"
stop_stack

## purge takes it all (but files of the user's own, as dpkg does)
rm /etc/devns/personas.d/work.conf
modprobe -r -a devns_kms devns_backlight devns_led devns_fb devns_input devns_core
if dpkg --purge devnsd devns-dkms >$DEVNS_OUT/dpkg-purge.log 2>&1; then
	pass purge
else
	fail purge "$(tail -20 $DEVNS_OUT/dpkg-purge.log)"
fi
left=$(while read -r f; do [ -f "$f" ] && echo "$f"; done <$owned)
expect_eq purge-files-gone "" "$left"
check purge-clean sh -c "! dpkg -s devnsd && ! dpkg -s devns-dkms && ! modinfo devns_core && [ ! -e /var/lib/dkms/devns ]"
check purge-no-etc test ! -e /etc/devns
