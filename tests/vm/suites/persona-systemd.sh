# devns-vm: own-boot
# devns-vm: ends
# devns-vm: timeout 900
# A full distribution's init as a persona: a small Debian bookworm with
# systemd (scripts/build-persona-rootfs, cached on the host; built by
# tests/run-all's setup) boots under devnsd with PrivateUsers=, reaches
# running or degraded with no unit failing because of devns, its udev sees
# its mirror keyboard and framebuffer, and devnsctl stop halts it cleanly
# (its journal says so). Slow under TCG: a boot of its own.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"
t=/srv/devns-persona-systemd
kbd='AT Translated Set 2 keyboard'

dir=$("$DEVNS_TOP/scripts/build-persona-rootfs" --cached) ||
	{ skip rootfs "not built: scripts/build-persona-rootfs (on the host, as root)"; exit 0; }
need_built "$bin"/devnsd
modprobe evdev && modprobe bochs
wait_for 10 test -e /dev/fb0 || { fail setup "no bochs framebuffer"; exit 0; }
for m in devns_input devns_fb; do
	load_devns $m || { fail setup "$m does not load"; exit 0; }
done
root=$dir/root	# the guest writes it through its overlay, never the host's copy
trap 'cp $t/devnsd.log "$DEVNS_OUT/devnsd.log"; cp /run/devns/debian/console "$DEVNS_OUT/console-debian" 2>/dev/null' EXIT
daemon_dir $t
cat >$t/personas.d/debian.conf <<CONF
[Persona]
Root=$root
Init=/lib/systemd/systemd
PrivateUsers=$(cat $dir/base)
HotkeySlot=1
CONF
start_devnsd $t || { fail devnsd-starts "$(cat $t/devnsd.log)"; exit 0; }
check start ctl start debian
pid=$(prop debian leader)
# in_persona CMD...: as its root, in all its namespaces
in_persona() { nsenter -t "$pid" -a "$@"; }

state() { in_persona systemctl is-system-running 2>/dev/null; }
wait_for 600 system_up "$pid" && pass is-system-running ||
	fail is-system-running "$(state): $(in_persona systemctl --failed --no-legend 2>&1)"
echo "is-system-running: $(state)"
failed=$(in_persona systemctl --failed --no-legend --plain 2>&1 | awk '{print $1}' | paste -sd' ')
echo "failed units: ${failed:-none}"
in_persona systemctl --failed --no-legend 2>&1
expect_eq no-failed-units "" "$failed"
v=$(in_persona systemd-detect-virt --container 2>&1)
[ "$v" != none ] && pass detects-container || fail detects-container "$v"

## Its udev sees its mirror keyboard and its framebuffer.
# /sys is read-only, so systemd-udevd does not run (as under nspawn); udevadm
# finds a node's device through its number in /sys/dev.
udev=$(for n in $(in_persona sh -c 'ls /dev/input/event* /dev/fb*'); do
	echo "node $n"
	in_persona udevadm info --attribute-walk --name="$n" 2>&1 |
		grep -E "^ *(SUBSYSTEM|ATTRS\{name\})==|looking at device"
done)
echo "$udev"
# a mirror has its device's very name; it lives below its devns device
grep -A3 "looking at device '/devices/virtual/devns/devns[0-9]*/input" <<<"$udev" |
	grep -q "ATTRS{name}==\"$kbd\"" && pass udev-mirror-keyboard ||
	fail udev-mirror-keyboard "$udev"
grep -A2 '^node /dev/fb0' <<<"$udev" | grep -q 'SUBSYSTEM=="graphics"' &&
	pass udev-framebuffer || fail udev-framebuffer "$udev"

## devnsctl stop halts it cleanly.
check stop ctl stop debian
wait_for 120 sh -c "'$bin/devnsctl' status --json debian | grep -q '\"state\":\"stopped\"'" &&
	pass stopped || fail stopped "$(ctl status debian)"
expect_eq exit-status 0 "$(prop debian exit_status)"
journal=$(journalctl -D "$root/var/log/journal" -b 2>&1 | tail -n 40)
echo "$journal"
grep -qE 'Reached target.*(System Shutdown|Power-Off|System Halt|Final Step)' <<<"$journal" &&
	pass journal-clean-shutdown || fail journal-clean-shutdown "$(tail -n 5 <<<"$journal")"
grep -q 'Exiting container' /run/devns/debian/console && pass console-exits-container ||
	fail console-exits-container "$(tail -n 5 /run/devns/debian/console)"
kill $devnsd_pid
wait $devnsd_pid
kill $DEVNS_BUS_PID
wait $DEVNS_BUS_PID 2>/dev/null
