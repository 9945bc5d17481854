# devns_kms when the physical card goes: its driver unbound while a
# persona is shown (bochs; kms-virtio sets kms_phys_module and
# kms_phys_driver). A suite of its own, the last of the debug kernel's:
# should a step hang, it takes no other suite's results with it.
# devns-vm: timeout 300
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"

check modetest-present test -x "$modetest" || exit 0
# The physical card unplugged (its driver unbound) while a persona is
# shown: the persona's card stays and its flips go on; bound again after.
# Not on 6.1's virtio-gpu, which leaks the buffer of a command still in
# flight when it is removed (WARNING in drm_mm_takedown), as it does with
# modetest flipping on it and no devns_kms loaded; 7.3's takes it.
# The steps are bounded: a hang leaves every blocked task's stack and the
# kernel log (6.1's fbcon oopsed in KDSETMODE to text here, holding
# console_lock, while fb.sh left vfb loaded; see fb.sh's Part 1 end).
if [ "${kms_phys_module:-}" = virtio_gpu ] && [[ $DEVNS_KVER == 6.1.* ]]; then
	skip unplug "6.1's virtio-gpu leaks a buffer in flight when removed, without devns_kms too"
	exit 0
fi
kms_up || exit 0
root_screen
new_persona x X || { fail personas "cannot register a third persona"; exit 0; }
check card-x-made wait_for 10 persona_card "$x_id"
X=$(persona_card "$x_id")
start_modetest x "$X" -v
check x-modetest-runs wait_for 40 flipping x
activate "$x"
check x-shown smpte_shot x
phys=$(readlink -f "/sys/class/drm/$(basename "$(phys_card)")/device")
phys_drv=$(readlink -f "$phys/driver")
sysfs_write() { echo "$1" >"$2"; }
check unplug-unbind bounded 30 sysfs_write "${phys##*/}" "$phys_drv/unbind" || exit 0
check unplug-phys-gone wait_for 10 eval '! phys_card'
check unplug-card-stays test -e "$X"
check unplug-flips-go-on flips_advance x
root
activate "$x"
check unplug-switches-go-on flips_advance x
stop_modetest x
kill -KILL "$x"
check unplug-card-removed wait_for 10 test ! -e "$X"
# back as it was: fbcon sets the new card's mode only in text mode
check unplug-text-mode bounded 30 "$fbtool" kdmode /dev/tty1 text || exit 0
check unplug-bind bounded 30 sysfs_write "${phys##*/}" "$phys_drv/bind" || exit 0
check unplug-phys-back wait_for 10 phys_card
kill -KILL "$a"
check card-a-removed wait_for 10 test ! -e "$A"
check unload wait_for 10 unload_devns
