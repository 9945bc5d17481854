# devns-vm: systemd
# devns-vm: ends
# devns-vm: timeout 900
# devnsd as the systemd service it ships as, on a host whose init is systemd
# (this boot's; tests/vm/initrd-init), on the real system bus: each persona
# is a scope of its own (devns-NAME.scope in machine.slice, delegated) and a
# machine of systemd-machined's; a full distribution's systemd (the
# persona-systemd suite's root file system) builds its tree in its scope;
# devnsd killed with SIGKILL, stopped and started again leaves every persona
# and its cgroup as they were; a stopped persona's scope and machine go.
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-daemon.sh"

need_built "$bin"/devnsd "$bin"/devnsctl
load_devns || { fail load "devns_core does not load"; exit 0; }
rootfs=$("$DEVNS_TOP/scripts/build-persona-rootfs" --cached) ||
	{ fail rootfs "not built: scripts/build-persona-rootfs (on the host, as root)"; exit 0; }
# Its personas and devnsd live outside the suite's cgroup: they go here,
# whatever the suite's end, so that its modules unload.
trap 'journalctl -b -u devnsd --no-pager >"$DEVNS_OUT/devnsd.log" 2>&1
systemctl stop devnsd
systemctl kill -s KILL "devns-*.scope" 2>/dev/null' EXIT

## devnsd.service as installed, with its D-Bus policy.
sed "s|@SBINDIR@|$bin|" "$DEVNS_TOP/daemon/systemd/devnsd.service.in" \
	>/etc/systemd/system/devnsd.service
cp "$DEVNS_TOP/daemon/dbus/org.devns.Manager1.conf" /etc/dbus-1/system.d/
mkdir -p /etc/devns/personas.d
cat >/etc/devns/personas.d/kiosk.conf <<CONF
[Persona]
Root=/
Init=/bin/sleep infinity
HotkeySlot=1
StopTimeoutSec=1
CONF
cat >/etc/devns/personas.d/work.conf <<CONF
[Persona]
Root=$rootfs/root
Init=/lib/systemd/systemd
PrivateUsers=$(cat "$rootfs/base")
HotkeySlot=2
CONF
# fails after a while, and devnsd starts it again (1 s later) in a new scope
cat >/etc/devns/personas.d/crashy.conf <<CONF
[Persona]
Root=/
Init=/bin/sh -c 'sleep 3; exit 1'
Restart=on-failure
StopTimeoutSec=1
CONF
systemctl reload dbus && systemctl daemon-reload &&
	systemctl start devnsd && pass devnsd-service ||
	{ fail devnsd-service "$(systemctl status devnsd 2>&1)"; exit 0; }
main_pid() { systemctl show -P MainPID devnsd; }
# gone NAME: its scope is not even loaded any more (collected)
gone() { [ "$(systemctl show -P LoadState "devns-$1.scope")" = not-found ]; }

check start-kiosk ctl start kiosk
check start-work ctl start work
kiosk=$(prop kiosk leader) work=$(prop work leader)

## Each a scope of its own, delegated, in machine.slice.
for p in kiosk work; do
	expect_eq "$p-scope" "active yes machine.slice" \
		"$(systemctl show -P ActiveState devns-$p.scope) $(systemctl show -P Delegate devns-$p.scope) $(systemctl show -P Slice devns-$p.scope)"
done
expect_eq kiosk-cgroup "0::/machine.slice/devns-kiosk.scope" "$(cat /proc/$kiosk/cgroup)"
# its own view: the root of a cgroup namespace
expect_eq kiosk-cgroup-inside "0::/" "$(nsenter -t $kiosk -C cat /proc/$kiosk/cgroup)"
# attack: its root mounts a fresh cgroup2 to reach the host's tree (and
# devnsd's service, to kill it): its root is its own scope
seen=$(nsenter -t $kiosk -a sh -c 'mkdir -p /tmp/cg && mount -t cgroup2 none /tmp/cg && ls /tmp/cg' 2>&1)
expect_eq attack-cgroup-escape "$(ls /sys/fs/cgroup/machine.slice/devns-kiosk.scope)" "$seen"
expect_eq kiosk-cgroup-after-attack "0::/machine.slice/devns-kiosk.scope" "$(cat /proc/$kiosk/cgroup)"
expect_eq devnsd-cgroup-alone "$(main_pid)" \
	"$(cat /sys/fs/cgroup/system.slice/devnsd.service/cgroup.procs)"

# systemd stops it as devnsctl does: its KillSignal= (SIGRTMIN+3), its
# StopTimeoutSec=
expect_eq kiosk-scope-stop "$(($(kill -l RTMIN) + 3)) 1s" \
	"$(systemctl show -P KillSignal devns-kiosk.scope) $(systemctl show -P TimeoutStopUSec devns-kiosk.scope)"

## Registered with machined.
machines() { machinectl list --no-legend --no-pager | awk '{print $1, $2, $3}' | sort | paste -sd,; }
# machines_are LIST: machined's list is LIST (it drops a machine moments
# after its scope goes)
machines_are() { [ "$(machines)" = "$1" ]; }
expect_eq machinectl-list "kiosk container devns,work container devns" "$(machines)"
leader() { machinectl show --property=Leader --value "$1"; }
expect_eq machinectl-leader "$kiosk" "$(leader kiosk)"
machinectl status --no-pager kiosk

## The distribution's systemd builds its tree in its scope, as its own.
wait_for 600 system_up "$work" &&
	pass work-boots || fail work-boots "$(nsenter -t $work -a systemctl is-system-running 2>&1)"
scope=/sys/fs/cgroup/machine.slice/devns-work.scope
expect_eq work-init-scope "0::/machine.slice/devns-work.scope/init.scope" "$(cat /proc/$work/cgroup)"
expect_eq work-tree-owner "$(cat "$rootfs/base")" "$(stat -c %u $scope/system.slice)"
# machined runs a command in it through the persona's own systemd
expect_eq machinectl-shell "in $(nsenter -t $work -u hostname)" "$(timeout 60 machinectl shell work /bin/sh -c 'echo in $(hostname)' 2>&1 | tr -d '\r' | grep '^in ')"

## devnsd killed with SIGKILL: systemd starts it again; nothing else moves.
cgroups() { for p in kiosk work; do systemctl show -P ControlGroup devns-$p.scope; done | paste -sd,; }
before="$kiosk $work $(cgroups) $(machines)"
old=$(main_pid)
systemctl kill -s SIGKILL devnsd
wait_for 60 sh -c "p=\$(systemctl show -P MainPID devnsd); [ \"\$p\" != 0 ] && [ \"\$p\" != $old ] && '$bin/devnsctl' list >/dev/null" &&
	pass devnsd-restarted || fail devnsd-restarted "$(systemctl status devnsd 2>&1)"
expect_eq kept-after-sigkill "$before" "$(prop kiosk leader) $(prop work leader) $(cgroups) $(machines)"
expect_eq running-after-sigkill "running running" "$(prop kiosk state) $(prop work state)"

## Stopped and started: the same.
systemctl stop devnsd
expect_eq kept-after-stop "$before" "$kiosk $work $(cgroups) $(machines)"
kill -0 $kiosk && kill -0 $work && pass alive-after-stop || fail alive-after-stop "gone"
systemctl start devnsd
expect_eq kept-after-start "$before" "$(prop kiosk leader) $(prop work leader) $(cgroups) $(machines)"

## A persona restarted after a failure gets a scope again.
check start-crashy ctl start crashy
first=$(prop crashy leader)
# restarted: a new leader, in the scope again, machined's leader too
restarted() {
	local l=$(prop crashy leader)

	[ -n "$l" ] && [ "$l" != 0 ] && [ "$l" != "$first" ] &&
		[ "$(cat /proc/$l/cgroup)" = 0::/machine.slice/devns-crashy.scope ] &&
		[ "$(leader crashy)" = "$l" ]
}
check crashy-restarted-in-scope wait_for 30 restarted
check stop-crashy ctl stop crashy

## Stopped personas: their scopes and machines go; one starts again at
## once, before systemd has collected its last scope.
check stop-kiosk ctl stop kiosk
check kiosk-scope-gone wait_for 30 gone kiosk
check machinectl-after-stop wait_for 30 machines_are "work container devns"
check start-kiosk-again ctl start kiosk
expect_eq kiosk-scope-again active "$(systemctl show -P ActiveState devns-kiosk.scope)"
check stop-kiosk-again ctl stop kiosk
wait_for 30 eval '[ "$(prop kiosk state)" = stopped ]'
check start-kiosk-at-once ctl start kiosk
kiosk=$(prop kiosk leader)
expect_eq kiosk-new-scope "0::/machine.slice/devns-kiosk.scope" "$(cat /proc/$kiosk/cgroup)"
check kiosk-new-machine wait_for 30 eval '[ "$(leader kiosk)" = "$kiosk" ]'
check stop-work ctl stop work
check work-scope-gone wait_for 120 gone work
check stop-kiosk-last ctl stop kiosk
check kiosk-scope-gone-last wait_for 30 gone kiosk
check machinectl-empty wait_for 30 machines_are ""
