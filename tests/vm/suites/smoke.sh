# The harness itself: the guest sees the host's root, can write where it
# must, talks to QEMU's monitor, and has the PS/2 keyboard and bochs display
# every end-to-end suite relies on.
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
kbd='AT Translated Set 2 keyboard'

check kernel test "$(uname -r)" = "$DEVNS_KVER"
check host-root grep -q '^overlay / overlay ' /proc/mounts
check repo-visible test -f "$DEVNS_TOP/tests/vm/lib.sh"
check tmp-writable sh -c 'echo x >/tmp/smoke && test "$(cat /tmp/smoke)" = x'
check root-writable sh -c 'echo x >/etc/devns-smoke && rm /etc/devns-smoke'
check out-shared sh -c "echo x >'$DEVNS_OUT/smoke' && test \"\$(cat '$DEVNS_OUT/smoke')\" = x"

check monitor sh -c "qemu_reply=\$('$progs/qemu-monitor' 'info version') &&
	echo \"\$qemu_reply\" | grep -q '^[0-9]\+\.[0-9]\+\.[0-9]'"

modprobe evdev
check keyboard-evdev grep -q "N: Name=\"$kbd\"" /proc/bus/input/devices

# A key sent through the monitor arrives on the keyboard's evdev node.
"$progs/evdev-keys" "$kbd" 2 10000 >/tmp/keys 2>&1 &
reader=$!
for _ in $(seq 50); do
	grep -q '^ready' /tmp/keys && break
	sleep 0.1
done
qemu_monitor sendkey a >/dev/null
wait $reader
check sendkey diff <(printf 'key 30 1\nkey 30 0\n') <(grep '^key' /tmp/keys)

modprobe bochs
for _ in $(seq 50); do
	[ -e /dev/fb0 ] && break
	sleep 0.1
done
check bochs-fbdev grep -q bochs /sys/class/graphics/fb0/name

# What /dev/fb0 shows is what QEMU's display shows.
check screendump sh -c "'$progs/qemu-monitor' 'screendump $DEVNS_OUT/smoke.ppm' &&
	head -c 15 '$DEVNS_OUT/smoke.ppm' | grep -q '^P6'"
