# devns_kms: a virtual DRM card per persona; the active persona's scanout
# on QEMU's display (bochs; kms-virtio sets kms_phys_module and
# kms_phys_driver), checked with libdrm's modetest and screendumps.
# devns-vm: timeout 900
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"

check modetest-present test -x "$modetest" || exit 0
kms_up || exit 0
check card-child-of-devns test -n "$A"
[ -n "$A" ] || exit 0

# The persona's connector: connected, the physical preferred mode first.
mt_in "$a" "$A" -c >"$DEVNS_OUT/kms-conn.txt" 2>&1
mt_phys -c >"$DEVNS_OUT/kms-phys-conn.txt" 2>&1
check connector-connected test -n "$(conn_id <"$DEVNS_OUT/kms-conn.txt")"
pm=$(first_mode <"$DEVNS_OUT/kms-phys-conn.txt")
echo "physical: $pm; persona: $(first_mode <"$DEVNS_OUT/kms-conn.txt")"
check preferred-is-physical test -n "$pm" -a "$(first_mode <"$DEVNS_OUT/kms-conn.txt")" = "$pm"
check formats grep -q 'XR24 AR24 RG16' <(mt_in "$a" "$A" -p)

root_screen

# A background persona's SMPTE bars are not on the display.
start_modetest a "$A" -v
check modetest-runs wait_for 40 flipping a
sleep 0.3
check background-hidden shot bg 203040
check background-flips flips_advance a

# After the switch they are, whole.
activate "$a"
check switch-in-whole smpte_shot in
check active-flips flips_advance a

# Back to the root: its screen exactly.
root
check root-restored shot back 203040
check root-flips-go-on flips_advance a

# Two personas alternate without mixing.
new_persona b B || { fail personas "cannot register a second persona"; exit 0; }
check card-b-made wait_for 10 persona_card "$b_id"
B=$(persona_card "$b_id")
start_modetest b "$B" -F tiles,tiles -v
check b-modetest-runs wait_for 40 flipping b
activate "$b"
check b-not-smpte not_smpte_shot b
activate "$a"
check a-smpte-again smpte_shot a2

# 100 switches with modetest flipping: its flips keep completing.
for i in $(seq 50); do
	activate "$b"
	activate "$a"
done
check hundred-switches-flips flips_advance a
check after-switches smpte_shot a3

# A KMS program killed while active: its persona's empty card is shown.
stop_modetest a
check killed-shows-empty shot killed 000000

# The persona killed while active (its init: every process inside goes):
# the root's screen is back, and its card is removed.
kill -KILL "$a"
check persona-killed-root-shown shot back2 203040
check card-removed wait_for 10 test ! -e "$A"
kill -KILL "$b"
check card-b-removed wait_for 10 test ! -e "$B"

check unload wait_for 10 unload_devns
