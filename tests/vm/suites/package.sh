# devns-vm: own-boot
# devns-vm: timeout 1500
# devns-vm: skip-kernel *-rt-amd64 6.1 and 6.12 cover the packages (CI time)
# The Debian packages (make deb) on a system without devns: dpkg -i of
# both, DKMS builds the modules for the booted kernel, they load from the
# modules-load.d list, devnsd runs from its unit's command line on a real
# system bus with polkit and udev; polkit lets the active session's user
# switch and nobody else, udev keeps mirrors from the host's session;
# dpkg --purge leaves nothing; a second install works.
. "$DEVNS_TOP/tests/vm/lib.sh"
debs=$DEVNS_TOP/build/deb
kbd='AT Translated Set 2 keyboard'
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

ls $debs/devns-dkms_*_all.deb $debs/devnsd_*.deb >/dev/null 2>&1 ||
	{ fail build "no packages in $debs (make deb)"; exit 0; }

# DKMS builds for the running kernel and the newest in /boot: let it see
# only the running one (the guest's /boot is a tmpfs copy).
cp /boot/config-$DEVNS_KVER /boot/System.map-$DEVNS_KVER /tmp/
mount -t tmpfs tmpfs /boot && mv /tmp/config-$DEVNS_KVER /tmp/System.map-$DEVNS_KVER /boot/

# The files the packages own, as dpkg lists them once installed.
owned=/tmp/devns-owned
clean_system() {
	! dpkg -s devnsd >/dev/null 2>&1 && ! dpkg -s devns-dkms >/dev/null 2>&1 &&
		! modinfo -k $DEVNS_KVER devns_core >/dev/null 2>&1 &&
		[ ! -e /var/lib/dkms/devns ] && ! ls -d /usr/src/devns-* >/dev/null 2>&1
}
check clean-before clean_system

install_both() {
	local what=$1 t0=$SECONDS
	if dpkg -i $debs/devns-dkms_*_all.deb $debs/devnsd_*.deb >/tmp/dpkg-$what.log 2>&1; then
		pass "$what-dpkg-i"
	else
		fail "$what-dpkg-i" "$(tail -20 /tmp/dpkg-$what.log)"
		return 1
	fi
	echo "$what: dpkg -i took $((SECONDS - t0)) s" >&2
	check "$what-dkms-built" grep -q "devns/.*, $DEVNS_KVER, .*: installed" <(dkms status)
	check "$what-modules-load" modprobe -a $(grep -v '^#' /usr/lib/modules-load.d/devns.conf)
}

start_stack() {
	mkdir -p /run/dbus
	dbus-daemon --system --nofork --nopidfile >/tmp/bus.log 2>&1 &
	wait_for 10 test -S /run/dbus/system_bus_socket
	# as polkit.service runs it: the bus lets only user polkitd own its name
	setpriv --reuid=polkitd --regid=polkitd --init-groups \
		/usr/lib/polkit-1/polkitd --no-debug >/tmp/polkitd.log 2>&1 &
	polkitd_pid=$!
	cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/devnsd.service)
	$cmd >>/tmp/devnsd.log 2>&1 &
	devnsd_pid=$!
	wait_for 30 devnsctl list
}

stop_stack() {
	kill $devnsd_pid $polkitd_pid 2>/dev/null
	wait $devnsd_pid $polkitd_pid 2>/dev/null
	pkill -x dbus-daemon
}
trap 'cp /tmp/*.log "$DEVNS_OUT/" 2>/dev/null' EXIT

modprobe evdev
install_both install || exit 0
dpkg -L devnsd devns-dkms >$owned
start_stack && pass devnsd-from-unit || { fail devnsd-from-unit "$(cat /tmp/devnsd.log)"; exit 0; }
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
	pass switch-allowed-in-active-session || fail switch-allowed-in-active-session "$out $(tail -3 /tmp/polkitd.log)"
sed -i 's/^ACTIVE=1/ACTIVE=0/; s/^STATE=active/STATE=online/' /run/systemd/sessions/1
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
/lib/systemd/systemd-udevd --daemon >/tmp/udevd.log 2>&1
udevadm trigger --action=add && udevadm settle -t 60
mirror=$(ls -d /sys/devices/virtual/devns/devns*/input/input*/event* 2>/dev/null | head -n1)
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
udevadm control --exit

## purge takes it all; a second install works
check stop-as-root devnsctl stop work
stop_stack
modprobe -r -a devns_backlight devns_led devns_fb devns_input devns_core
if dpkg --purge devnsd devns-dkms >/tmp/dpkg-purge.log 2>&1; then
	pass purge
else
	fail purge "$(tail -20 /tmp/dpkg-purge.log)"
fi
left=$(while read -r f; do [ -f "$f" ] && echo "$f"; done <$owned)
expect_eq purge-files-gone "" "$left"
check purge-clean clean_system
check purge-no-etc test ! -e /etc/devns
install_both reinstall || exit 0
start_stack && pass reinstall-devnsd || fail reinstall-devnsd "$(cat /tmp/devnsd.log)"
stop_stack
