# A short switch storm under input and framebuffer traffic, every module
# loaded: the root and two personas take turns while a physical keyboard
# (uinput) types, a reader in each persona reads its mirror, and each
# persona draws on its framebuffer (mmap and write()). Short on purpose: it
# also runs on the debug kernel, where what lockdep, KASAN and the atomic
# sleep checks say of it matters as much as its own results. Afterwards no
# switch failed, no key is left held, each screen is its owner's and the
# modules unload with the personas alive.
# devns-vm: timeout 150
. "$DEVNS_TOP/tests/vm/lib.sh"
progs=$DEVNS_TOP/tests/vm/progs
fbtool=$progs/fbtool
evt=$progs/input-evt
rounds=30	# of three switches each
kbd='devns storm keyboard'
vfb='Virtual FB'
tmp=/tmp/storm
rm -rf $tmp && mkdir -p $tmp

# wait_for CMD...: CMD succeeds within 30 s.
wait_for() {
	local _

	for _ in $(seq 300); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# persona VAR: a process in a new pid namespace, registered as a persona;
# VAR gets its pid, VAR_id its devns id.
persona() {
	local u pid d

	unshare --pid --fork sleep 100000 </dev/null >/dev/null 2>&1 &
	u=$!
	wait_for pgrep -P $u || return 1
	pid=$(pgrep -P $u)
	echo "$pid:$1" >/proc/dev_ns/ns_tag || return 1
	printf -v "$1" %s "$pid"
	for d in /sys/class/devns/devns*; do
		[ "$(cat "$d/init_pid")" = "$pid" ] && printf -v "$1_id" %s "$(cat "$d/id")"
	done
	local v=$1_id
	[ -n "${!v}" ]
}

# node KIND ID NAME: persona ID's mirror (KIND input) or framebuffer (KIND
# fb) of the physical device NAME, as a /dev path.
node() {
	local d

	for d in /sys/class/devns/devns$2/$1*; do
		[ -e "$d/name" ] || continue
		case $(cat "$d/name") in
		"$3" | "devns$2 $3") ;;
		*) continue ;;
		esac
		if [ "$1" = input ]; then
			echo "/dev/input/$(basename "$d"/event*)"
		else
			echo "/dev/${d##*/}"
		fi
		return 0
	done
	return 1
}

# physfb NAME: the /dev node of the physical framebuffer NAME.
physfb() {
	local d

	for d in /sys/class/graphics/fb*; do
		[ "$(cat "$d/name")" = "$1" ] || continue
		readlink -f "$d" | grep -q /devns && continue
		echo "/dev/${d##*/}"
		return 0
	done
	return 1
}

modprobe uinput && modprobe evdev && modprobe vfb vfb_enable=1 ||
	{ fail setup "uinput, evdev or vfb does not load"; exit 0; }
check load load_devns devns_input devns_fb devns_led || exit 0
if persona a && persona b; then
	pass personas
else
	fail personas "cannot register two personas"
	exit 0
fi

# The physical keyboard, its commands through a fifo kept open here.
mkfifo $tmp/kbd
"$progs/input-dev" kbd "$kbd" <$tmp/kbd >$tmp/kbd.out &
exec {kbd_fd}>$tmp/kbd
check keyboard wait_for grep -q '^ready' $tmp/kbd.out || exit 0
check mirrors eval 'wait_for node input $a_id "$kbd" && wait_for node input $b_id "$kbd"'
check framebuffers eval 'wait_for node fb $a_id "$vfb" && wait_for node fb $b_id "$vfb"'
P=$(physfb "$vfb") A=$(node fb $a_id "$vfb") B=$(node fb $b_id "$vfb")
MA=$(node input $a_id "$kbd") MB=$(node input $b_id "$kbd")
[ -n "$P" ] && [ -n "$A" ] && [ -n "$B" ] && [ -n "$MA" ] && [ -n "$MB" ] || exit 0

# The traffic: keys ('a' pressed and released) every 5 ms, readers in the
# personas, persona a drawing through mmap and b through write().
"$fbtool" kdmode /dev/tty1 graphics
"$fbtool" fill "$P" 0x52525252 mmap
nsenter -t "$a" -p -- "$evt" read "$MA" $tmp/stop >$tmp/read.a 2>&1 &
readers=$!
nsenter -t "$b" -p -- "$evt" read "$MB" $tmp/stop >$tmp/read.b 2>&1 &
readers+=" $!"
wait_for grep -q '^ready' $tmp/read.a
wait_for grep -q '^ready' $tmp/read.b
while :; do
	echo "key 30 1"
	echo "key 30 0"
	echo "sleep 5"
done >$tmp/kbd &
typer=$!
nsenter -t "$a" -p -- "$fbtool" hold "$A" 0x41414141 3600 &
holder=$!
(while :; do nsenter -t "$b" -p -- "$fbtool" fill "$B" 0x42424242 write; done) &
writer=$!

# The storm.
failures=0
SECONDS=0
for _ in $(seq $rounds); do
	for pid in "$a" "$b" 1; do
		echo "$pid" >/proc/dev_ns/active_ns_pid || failures=$((failures + 1))
	done
done
echo "$((rounds * 3)) switches in $SECONDS s"
expect() { [ "$2" = "$3" ] && pass "$1" || fail "$1" "wanted '$2', got '$3'"; }
expect switches-succeed 0 $failures
expect ends-on-root 1 "$(cat /proc/dev_ns/active_ns_pid)"

kill $typer $writer
wait $typer $writer 2>/dev/null
kill $(pgrep -P $holder) $holder 2>/dev/null
wait $holder 2>/dev/null
touch $tmp/stop
wait $readers

# Each persona read keys while it was active, and none is held now.
for p in a b; do
	check "$p-got-keys" grep -q '^1 30 1$' $tmp/read.$p
done
expect a-none-held keys "$("$evt" keys "$MA")"
expect b-none-held keys "$("$evt" keys "$MB")"

# Each screen is its owner's.
echo "$a" >/proc/dev_ns/active_ns_pid
check a-shown "$fbtool" expect "$P" 0x41414141 10000
echo "$b" >/proc/dev_ns/active_ns_pid
check b-shown "$fbtool" expect "$P" 0x42424242 10000
echo 1 >/proc/dev_ns/active_ns_pid
check root-shown "$fbtool" expect "$P" 0x52525252 10000

# Unloading with the personas alive, the keyboard still plugged in.
check unload unload_devns
exec {kbd_fd}>&-
kill "$a" "$b" 2>/dev/null
"$fbtool" kdmode /dev/tty1 text
