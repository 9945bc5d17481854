# devns_kms beside devns_fb: one owner per physical display (QEMU's bochs),
# decided by the core's claims. The loser says so in the kernel log and
# does not touch the display; when the owner goes, devns_fb takes it.
# devns-vm: timeout 600
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"

check modetest-present test -x "$modetest" || exit 0
modprobe bochs
check bochs wait_for 10 phys_card || exit 0
modprobe drm_shmem_helper
check phys-fb wait_for 10 phys_fb || exit 0
fbdev=$(phys_fb)
fbname=$(cat "/sys/class/graphics/${fbdev##*/}/name")
pci=$(basename "$(readlink -f "/sys/class/graphics/${fbdev##*/}/device")")

# pfb DEVNS: the /dev node of persona DEVNS's virtual bochs framebuffer.
pfb() {
	local d

	for d in /sys/class/devns/$1/fb*; do
		[ -e "$d" ] && [ "$(cat "$d/name")" = "$fbname" ] || continue
		echo "/dev/${d##*/}"
		return 0
	done
	return 1
}

"$fbtool" kdmode /dev/tty1 graphics
"$fbtool" fill "$fbdev" 0x00203040 mmap

## devns_fb first: it owns the display, devns_kms only makes cards.
check fb-first load_devns devns_fb devns_kms || exit 0
check kms-says-lost grep -q 'devns_kms: the card is claimed by another devns subsystem' <(dmesg)
new_persona a A || { fail personas "cannot register a persona"; exit 0; }
check fb-first-virtual-fb wait_for 10 pfb "$a_id"
check fb-first-card wait_for 10 persona_card "$a_id"
A=$(persona_card "$a_id") AF=$(pfb "$a_id")
inp "$a" "$fbtool" fill "$AF" 0x00c00000 mmap
start_modetest a "$A" -v
check fb-first-modetest-runs wait_for 40 flipping a
activate "$a"
check fb-first-fb-shown shot fb-first c00000
check fb-first-flips flips_advance a
root
check fb-first-root shot fb-first-root 203040
stop_modetest a
kill -KILL "$a"
check fb-first-unload wait_for 10 unload_devns

## devns_kms first: it owns the display, devns_fb wraps nothing of it.
check kms-first load_devns devns_kms devns_fb || exit 0
check fb-says-lost grep -q "devns_fb: $pci is claimed by another devns subsystem" <(dmesg)
new_persona b B || { fail personas "cannot register a persona"; exit 0; }
check kms-first-card wait_for 10 persona_card "$b_id"
B=$(persona_card "$b_id")
check kms-first-no-virtual-fb test -z "$(pfb "$b_id")"
start_modetest b "$B" -v
check kms-first-modetest-runs wait_for 40 flipping b
activate "$b"
check kms-first-card-shown smpte_shot kms-first
root
check kms-first-root shot kms-first-root 203040

# devns_kms goes: devns_fb takes the display and wraps its framebuffer.
stop_modetest b
check kms-unload wait_for 10 rmmod devns_kms
check fb-takes-over wait_for 10 pfb "$b_id"
BF=$(pfb "$b_id")
inp "$b" "$fbtool" fill "$BF" 0x0000c000 mmap
activate "$b"
check fb-takeover-shown shot takeover 00c000
root
check takeover-root shot takeover-root 203040
kill -KILL "$b"
check unload wait_for 10 unload_devns
