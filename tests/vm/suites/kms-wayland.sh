# devns_kms with a Wayland compositor nobody here wrote: sway (wlroots 0.15,
# pixman renderer, seatd) on a persona's card, unchanged, as a desktop
# persona would run it; judged by QEMU's screendumps.
# devns-vm: timeout 300
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-kms.sh"

check sway-present command -v sway seatd swaymsg || exit 0
kms_up || exit 0
[ -n "$A" ] || exit 0

# The root's screen: one colour drawn by the root.
root_screen

# sway starts in the background: its output is not on the display.
check sway-starts start_sway "$a" "$A" 336699 || exit 0
check background-hidden shot bg 203040

# After the switch its frame is, whole; its next frames follow.
activate "$a"
check switch-in-whole shot in 336699
sway_bg aa5500
check active-frames-shown shot active aa5500

# Back to the root: its screen exactly; sway's frames stay in its card.
root
check root-restored shot back 203040
sway_bg 00aa55
check background-frames-hidden shot back2 203040
activate "$a"
check background-frame-shown shot in2 00aa55

# 100 switches: sway never notices (no error, still drawing).
for _ in $(seq 50); do
	root
	activate "$a"
done
sway_bg 5500aa
check hundred-switches-frames shot in3 5500aa
check sway-no-error eval '! grep -E "\[ERROR\]|Permission denied" "$DEVNS_OUT/sway.log"'

# sway killed while active: its persona's empty card is shown.
stop_sway
check killed-shows-empty shot killed 000000

root
check root-back shot back3 203040
kill -KILL "$a"
check card-removed wait_for 10 test ! -e "$A"
check unload wait_for 10 unload_devns
