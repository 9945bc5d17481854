# Helpers of the devns_kms suites, sourced after lib.sh.
progs=$DEVNS_TOP/tests/vm/progs
fbtool=$progs/fbtool
modetest=$(command -v modetest || echo "$DEVNS_TOP/build/debs/root/usr/bin/modetest")

# phys_card: the /dev node of the first physical DRM card.
phys_card() { phys_dev /dev/dri '*' /sys/class/drm/card[0-9]; }

# phys_fb: the /dev node of the physical card's fbdev emulation (fbcon's),
# not fb0 once vfb came first, never a persona's namesake.
phys_fb() { phys_dev /dev '*drmfb' /sys/class/graphics/fb*; }

# persona_card DEVNS: the /dev node of persona DEVNS's card.
persona_card() {
	local d

	d=$(find "/sys/class/devns/$1/" -maxdepth 4 -name 'card[0-9]*' | head -1)
	[ -n "$d" ] && [ -e "/dev/dri/${d##*/}" ] && echo "/dev/dri/${d##*/}"
}

# with_card PID CARD CMD...: CMD in persona PID, in a mount namespace whose
# /dev/dri holds only CARD, under its own name and as card0 (as devnsd
# makes a persona's /dev).
with_card() {
	local pid=$1 card=$2
	shift 2
	inp "$pid" unshare -m sh -c 'mount -t tmpfs dri /dev/dri &&
		mknod /dev/dri/card0 c $0 && mknod "/dev/dri/$1" c $0 &&
		shift && exec "$@"' "$(stat -c '0x%t 0x%T' "$card")" "${card##*/}" "$@"
}

# mt_in PID CARD ARGS...: modetest -M devns_kms ARGS on CARD in persona PID.
mt_in() {
	local pid=$1 card=$2
	shift 2
	with_card "$pid" "$card" stdbuf -oL "$modetest" -M devns_kms "$@"
}

# kms_up: the physical card's driver (kms_phys_module, bochs by default)
# and devns_kms loaded, persona a registered (a, a_id), its card in A
# (empty if it never came); false when the suite cannot go on.
kms_up() {
	modprobe "${kms_phys_module:-bochs}"
	check phys-card wait_for 10 phys_card || return 1
	modprobe drm_shmem_helper
	check load load_devns devns_kms || return 1
	new_persona a A || { fail personas "cannot register a persona"; return 1; }
	check card-made wait_for 10 persona_card "$a_id"
	A=$(persona_card "$a_id")
	return 0
}

# root_screen: fbcon in graphics mode, one colour (203040) drawn by the
# root on the physical card's fbdev, and on the display.
root_screen() {
	check phys-fb wait_for 10 phys_fb
	"$fbtool" kdmode /dev/tty1 graphics
	"$fbtool" fill "$(phys_fb)" 0x00203040 mmap
	check root-shown shot root 203040
}

# mt_phys ARGS...: modetest on the physical card, by its DRM driver's name.
mt_phys() { "$modetest" -M "${kms_phys_driver:-bochs-drm}" "$@"; }

# first_mode: the first mode (name and refresh) of the first connector in
# modetest -c's output on stdin.
first_mode() { awk '$1 == "#0" { print $2, $3; exit }'; }

# conn_id: the first connector's id in modetest -c's output on stdin.
conn_id() { awk '$3 == "connected" { print $1; exit }'; }

# shot NAME RRGGBB: within 2 s a screendump shows only RRGGBB.
shot() {
	local f=$DEVNS_OUT/kms-$1.ppm _

	for _ in $(seq 20); do
		qemu_monitor screendump "$f" >/dev/null
		"$fbtool" ppm "$f" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	"$fbtool" ppm "$f" "$2"
}

# smpte FILE: the screendump shows modetest's SMPTE bars (grey, yellow,
# cyan, green, magenta, red, blue at 192) across the whole width.
smpte() {
	local w h i x want=(c0c0c0 c0c000 00c0c0 00c000 c000c0 c00000 0000c0)

	{ read -r _; read -r w h; } <"$1"
	for i in 0 1 2 3 4 5 6; do
		x=$(((2 * i + 1) * w / 14))
		[ "$("$fbtool" pixel "$1" "$x" $((h / 3)))" = "${want[$i]}" ] || return 1
	done
}

# smpte_shot NAME: within 2 s a screendump shows the SMPTE bars.
smpte_shot() {
	local f=$DEVNS_OUT/kms-$1.ppm _

	for _ in $(seq 20); do
		qemu_monitor screendump "$f" >/dev/null
		smpte "$f" && return 0
		sleep 0.1
	done
	echo "no SMPTE bars in $f"
	return 1
}

# not_smpte_shot NAME: a screendump 0.5 s from now shows no SMPTE bars.
not_smpte_shot() {
	local f=$DEVNS_OUT/kms-$1.ppm

	sleep 0.5
	qemu_monitor screendump "$f" >/dev/null
	! smpte "$f"
}

# start_modetest PERSONA CARD ARGS...: modetest -s (the first connector,
# its first mode) ARGS on CARD in persona PERSONA (a variable name) in the
# background, its stdin held open (it stops at input); its output in
# $DEVNS_OUT/modetest-PERSONA.log, its pid in modetest_PERSONA.
start_modetest() {
	local v=$1 card=$2 c id mode
	shift 2
	c=$(mt_in "${!v}" "$card" -c)
	id=$(conn_id <<<"$c") mode=$(first_mode <<<"$c")
	(sleep 100000 | mt_in "${!v}" "$card" -s "$id:${mode%% *}" "$@" \
		>"$DEVNS_OUT/modetest-$v.log" 2>&1) &
	wait_for 10 pgrep -f "^$modetest -M devns_kms -s" >/dev/null
	printf -v "modetest_$v" %s "$(pgrep -nf "^$modetest -M devns_kms -s")"
}

stop_modetest() { local v=modetest_$1; kill -9 "${!v}"; }

# flipping PERSONA: its modetest reported a flip rate.
flipping() { grep -q 'freq:' "$DEVNS_OUT/modetest-$1.log"; }

# flips_advance PERSONA: its modetest reports another flip rate (one every
# 60 flips) within 40 s.
flips_advance() {
	local n

	n=$(flip_reports "$1")
	wait_for 40 more_flip_reports "$1" "$n" ||
		{ tail -3 "$DEVNS_OUT/modetest-$1.log"; return 1; }
}

flip_reports() { grep -c 'freq:' "$DEVNS_OUT/modetest-$1.log"; }
more_flip_reports() { [ "$(flip_reports "$1")" -gt "$2" ]; }

# start_sway PID CARD RRGGBB: sway (wlroots, pixman renderer) on CARD in
# persona PID, its background RRGGBB (swaybg), as an unprivileged user
# whose seat is the persona's own seatd's (not bound to a VT: a persona has
# none). Their logs in $DEVNS_OUT/sway.log; swaymsg talks to it.
sway_run=/tmp/devns-sway
start_sway() {
	install -d -o nobody -g nogroup -m 700 "$sway_run"
	printf 'xwayland disable\noutput * bg #%s solid_color\n' "$3" \
		>"$sway_run/config"
	with_card "$1" "$2" sh -c '
		SEATD_VTBOUND=0 seatd -u nobody -g nogroup -l error &
		while [ ! -S /run/seatd.sock ]; do sleep 0.1; done
		exec env LIBSEAT_BACKEND=seatd WLR_BACKENDS=drm \
			WLR_DRM_DEVICES=/dev/dri/card0 WLR_RENDERER=pixman \
			WLR_LIBINPUT_NO_DEVICES=1 XDG_RUNTIME_DIR="$0" \
			setpriv --reuid=nobody --regid=nogroup --clear-groups \
			sway -d -c "$0/config"' "$sway_run" >"$DEVNS_OUT/sway.log" 2>&1 &
	wait_for 60 sway_listens || { tail -20 "$DEVNS_OUT/sway.log"; return 1; }
}

# swaymsg ARGS...: to the sway of start_sway.
swaymsg() {
	SWAYSOCK=$(echo "$sway_run"/sway-ipc.*.sock) command swaymsg "$@"
}

sway_listens() { swaymsg -q -t get_version 2>/dev/null; }

# sway_bg RRGGBB: sway's background becomes RRGGBB.
sway_bg() { swaymsg -q output '*' bg "#$1" solid_color; }

stop_sway() {
	pkill -KILL -x sway
	pkill -KILL -x swaybg
	pkill -x seatd
	wait_for 10 eval '! pgrep -x seatd >/dev/null'
	rm -rf "$sway_run"
}
