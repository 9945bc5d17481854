# The harness itself: the guest sees the host's root, can write where it
# must, talks to QEMU's monitor, and has the devices every end-to-end suite
# relies on (PS/2 keyboard, bochs display, uinput, vfb).
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
kbd='AT Translated Set 2 keyboard'

check kernel test "$(uname -r)" = "$DEVNS_KVER"
check host-root grep -q '^overlay / overlay ' /proc/mounts
check repo-visible test -f "$DEVNS_TOP/tests/vm/lib.sh"
check tmp-writable sh -c 'echo x >/tmp/smoke && test "$(cat /tmp/smoke)" = x'
check root-writable sh -c 'echo x >/etc/devns-smoke && rm /etc/devns-smoke'
check out-shared sh -c "echo x >'$DEVNS_OUT/smoke' && test \"\$(cat '$DEVNS_OUT/smoke')\" = x"
check loopback sh -c 'ip -o link show lo | grep -q "LOOPBACK,UP"'

version=$(qemu_monitor 'info version')
check monitor grep -q '^[0-9]\+\.[0-9]\+\.[0-9]' <<<"$version"
# The monitor's own error messages are the reply, as in its console.
check monitor-error grep -q 'unknown command' <<<"$(qemu_monitor no-such-command)"

modprobe evdev
check keyboard-evdev grep -q "N: Name=\"$kbd\"" /proc/bus/input/devices

# A key sent through the monitor arrives on the keyboard's evdev node.
"$progs/evdev-keys" "$kbd" 2 10000 >/tmp/keys 2>&1 &
reader=$!
wait_for 5 grep -q '^ready' /tmp/keys
qemu_monitor sendkey a >/dev/null
wait $reader
check sendkey diff <(printf 'key 30 1\nkey 30 0\n') <(grep '^key' /tmp/keys)

check uinput sh -c 'modprobe uinput && test -c /dev/uinput'
check vfb sh -c 'modprobe vfb vfb_enable=1 &&
	grep -qx "Virtual FB" /sys/class/graphics/fb*/name'

modprobe bochs
fb=$(grep -l bochs /sys/class/graphics/fb*/name 2>/dev/null | head -n1)
fb=${fb%/name}
check bochs-fbdev test -n "$fb"

# What the bochs framebuffer holds is what QEMU's display shows: fill it
# with grey 0x404040 and read a pixel of the middle back from a screendump.
if [ -n "$fb" ]; then
	IFS=, read -r width height <"$fb/virtual_size"
	stride=$(cat "$fb/stride")
	head -c $((stride * height)) /dev/zero | tr '\0' '\100' \
		>"/dev/$(basename "$fb")"
	ppm=$DEVNS_OUT/smoke.ppm
	qemu_monitor "screendump $ppm" >/dev/null
	header="P6
$width $height
255"
	offset=$((${#header} + 1 + ((height / 2) * width + width / 2) * 3))
	pixel=$(od -An -tx1 -j $offset -N 3 "$ppm" | tr -d ' ')
	check screendump-header test "$(head -n 3 "$ppm")" = "$header"
	check screendump-pixel test "$pixel" = 404040
else
	skip screendump "no bochs framebuffer"
fi
