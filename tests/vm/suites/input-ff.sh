# devns_input: force feedback through mirrors.  A uinput pad with rumble
# (tests/vm/progs/input-dev pad) logs what its "hardware" is asked to do;
# personas and the root drive effects with input-evt ff clients.
# devns-vm: timeout 600
. "$DEVNS_TOP/tests/vm/lib.sh"
tmp=/tmp/input-ff
rm -rf $tmp && mkdir -p $tmp
. "$DEVNS_TOP/tests/vm/input-lib.sh"

input_setup || exit 0

## Helpers

# ff_client NAME NODE [PID]: an input-evt ff client of NODE (inside PID's
# pid namespace if given), holding it open until ff_close NAME.  It must not
# inherit the other clients' command pipes, or they would never see EOF.
ff_client() {
	local fd
	mkfifo $tmp/ff.$1.in
	: >$tmp/ff.$1.out
	(
		for fd in $FF_FDS; do eval "exec $fd>&-"; done
		exec ${3:+nsenter -t "$3" -p --} "$evt" ff "$2"
	) <$tmp/ff.$1.in >>$tmp/ff.$1.out 2>&1 &
	eval "FFPID_$1=\$!"
	eval "exec {FF_$1}>\$tmp/ff.\$1.in"
	fd=FF_$1
	FF_FDS+=" ${!fd}"
}
ff_close() {
	local pid=FFPID_$1
	eval "exec {FF_$1}>&-"
	wait ${!pid}
}

# ff NAME CMD: CMD in client NAME; prints its answer ("ok", "id N"...).
ff() {
	local fd=FF_$1 out=$tmp/ff.$1.out n
	n=$(wc -l <$out)
	echo "$2" >&${!fd}
	wait_for 10 sh -c "test \$(wc -l <$out) -gt $n" ||
		{ echo "no answer to '$2'"; return 1; }
	sed -n "$((n + 1))p" $out
}
# ffok NAME CMD: CMD must answer "ok".
ffok() { test "$(ff "$@")" = ok; }

# What the pad's "hardware" got: hw_mark notes where its log is now;
# hw_has LINE... (each since the mark), hw_quiet (nothing since the mark).
hw_mark() { MARK=$(wc -l <$HW); }
hw_since() { tail -n +$((MARK + 1)) $HW; }
hw_has() {
	local l
	for l; do
		hw_since | grep -qx "$l" ||
			{ echo "no '$l' in: $(hw_since | tr '\n' ,)"; return 1; }
	done
}
hw_lacks() {
	! hw_since | grep -qx "$1" || { echo "got '$1'"; return 1; }
}
hw_quiet() {
	[ -z "$(hw_since)" ] || { echo "hardware got: $(hw_since | tr '\n' ,)"; return 1; }
}
# hw_effects: the device's effect ids in use (uploaded, not erased).
hw_effects() {
	awk '$1 == "upload" { e[$2] = 1 } $1 == "erase" { delete e[$2] }
	     END { for (i in e) print i }' $HW | sort -n | tr '\n' ' '
}

## A mirror has the pad's force feedback.

new_dev pad "devns test pad" || { fail setup "no uinput pad"; exit 0; }
PAD=$DEV_NODE PAD_PID=$DEV_PID HW=$tmp/dev.devns_test_pad
persona alpha || { fail setup "cannot create a persona"; exit 0; }
A_PID=$P_PID A=$P_ID
persona beta
B_PID=$P_PID B=$P_ID
check mirrors-appear wait_for 10 mirror_node $B "devns test pad"
MA=$(mirror_node $A "devns test pad")
MB=$(mirror_node $B "devns test pad")

"$evt" info $PAD | grep -v '^name' >$tmp/info.phys
"$evt" info $MA | grep -v '^name' >$tmp/info.mirror
check mirror-ff-bits grep -qx "ff 80 81 90 96 97" $tmp/info.mirror
check mirror-caps-pad diff $tmp/info.phys $tmp/info.mirror

ff_client R $PAD
ff_client A $MA $A_PID
ff_client B $MB $B_PID
expect_eq mirror-effects "effects 4" "$(ff A effects)"

## The root's effect goes straight to the device and stays there throughout.

expect_eq root-upload "id 0" "$(ff R 'upload -1 500 0')"
check root-effect-on-hw wait_for 10 grep -qx "upload 0 500 0" $HW

## Background personas: uploads and plays stay in their mirrors.

hw_mark
expect_eq bg-upload-a "id 0" "$(ff A 'upload -1 1001 0')"
expect_eq bg-upload-b0 "id 0" "$(ff B 'upload -1 2001 0')"
expect_eq bg-upload-b1 "id 1" "$(ff B 'upload -1 2002 0')"
check bg-play ffok A 'play 0 1'
ffok B 'play 0 1'; ffok B 'play 1 1'
# Exactly the device's limits: four effects, then ENOSPC.
expect_eq mirror-upload-3 "id 2" "$(ff B 'upload -1 2003 0')"
expect_eq mirror-upload-4 "id 3" "$(ff B 'upload -1 2004 0')"
expect_eq mirror-enospc "error 28" "$(ff B 'upload -1 2005 0')"
ffok B 'erase 3'; ffok B 'erase 2'
sleep 0.5	# a pause, not ordering: nothing may reach the device meanwhile
check bg-gated hw_quiet

## A becomes active: its effect is uploaded next to the root's, its play replayed.

switch $A
check switch-in-uploads wait_for 10 hw_has "upload 1 1001 0" "out 21 1 1"
check switch-in-only-active sh -c "! grep -q ' 200[0-9] ' $HW"
check switch-in-keeps-root-effect hw_lacks "erase 0"

## The active persona's updates, plays and gain reach the device.

hw_mark
expect_eq active-update "id 0" "$(ff A 'upload 0 1101 0')"
ffok A 'gain 32768'
ffok A 'stop 0'
ffok A 'play 0 1'
expect_eq active-upload "id 1" "$(ff A 'upload -1 1002 200')"
ffok A 'play 1 1'
check active-reaches-hw wait_for 10 hw_has "update 1 1101 0" "out 21 96 32768" \
	"out 21 1 0" "out 21 1 1" "upload 2 1002 200" "out 21 2 1"
# A background play: gated.
hw_mark
ffok B 'stop 1'
ffok B 'play 1 2'
sleep 0.5	# a pause, not ordering: nothing may reach the device meanwhile
check bg-play-gated hw_quiet

## Switch to B: A's effects stop and leave the device, B's arrive under the
## free ids; the root's stays.  B never set a gain: it gets the default.

sleep 0.3	# A's 200 ms effect is over: a time is the condition here
hw_mark
switch $B
check switch-out-stops wait_for 10 hw_has "out 21 1 0" "erase 1" "erase 2"
check switch-out-keeps-root-effect hw_lacks "erase 0"
check switch-in-b wait_for 10 hw_has "upload 1 2001 0" "upload 2 2002 0" \
	"out 21 1 1" "out 21 2 2" "out 21 96 65535"
expect_eq hw-effects-b "0 1 2 " "$(hw_effects)"
# B's id 1 is the device's 2; A's ids meant 1 and 2 there before.
hw_mark
ffok B 'stop 1'
check id-mapping wait_for 10 hw_has "out 21 2 0"
check id-mapping-only hw_lacks "out 21 1 0"

## A, in the background, plays its effect three times and sets autocenter.

hw_mark
ffok A 'play 0 3'
ffok A 'autocenter 1234'
sleep 0.5	# a pause, not ordering: nothing may reach the device meanwhile
check bg-replay-gated hw_quiet

## Erase and close flush B's effects from the device.

hw_mark
ffok B 'erase 0'
check erase-reaches-hw wait_for 10 hw_has "out 21 1 0" "erase 1"
ff_close B
check close-flushes wait_for 10 hw_has "erase 2"
expect_eq hw-effects-after-flush "0 " "$(hw_effects)"

## Back to A: its effects return; the unfinished play plays again, the
## finished one does not; its gain and autocenter come back.

hw_mark
switch $A
check switch-back-replays wait_for 10 hw_has "upload 1 1101 0" "upload 2 1002 200" \
	"out 21 1 3" "out 21 96 32768" "out 21 97 1234"
check finished-not-replayed hw_lacks "out 21 2 1"

## The root's own gain and autocenter are kept for it.

hw_mark
switch 0
check root-back-erases wait_for 10 hw_has "erase 1" "erase 2"
check root-back-defaults wait_for 10 hw_has "out 21 96 65535" "out 21 97 0"
hw_mark
ffok R 'gain 4000'
check root-gain wait_for 10 hw_has "out 21 96 4000"
switch $A
hw_mark
switch 0
check root-gain-restored wait_for 10 hw_has "out 21 96 4000"
check root-effect-survives hw_lacks "erase 0"

## The root's play (of an endless effect) stops while a persona is active
## and plays on when the root is back.

hw_mark
ffok R 'play 0 1'
check root-play wait_for 10 hw_has "out 21 0 1"
hw_mark
switch $A
check root-play-paused wait_for 10 hw_has "out 21 0 0"
hw_mark
switch 0
check root-play-resumed wait_for 10 hw_has "out 21 0 1"
ffok R 'stop 0'
check root-stop wait_for 10 hw_has "out 21 0 0"

## A persona killed while active, with effects playing.

switch $A
check killed-setup wait_for 10 hw_has "out 21 1 3"
hw_mark
kill -9 $A_PID
check killed-persona-gone wait_for 10 sh -c "! test -e /sys/class/devns/devns$A"
check killed-effects-erased wait_for 10 hw_has "out 21 1 0" "erase 1" "erase 2"
check killed-root-gain wait_for 10 hw_has "out 21 96 4000"
expect_eq hw-effects-after-kill "0 " "$(hw_effects)"
wait $FFPID_A

## The device unplugged while B's effect plays.

ff_client B2 $MB $B_PID
expect_eq unplug-upload "id 0" "$(ff B2 'upload -1 3001 0')"
ffok B2 'play 0 1'
switch $B
check unplug-playing wait_for 10 hw_has "upload 1 3001 0" "out 21 1 1"
kill $PAD_PID
check unplug-removes-mirror wait_for 10 no_mirror $B "devns test pad"
expect_eq unplug-mirror-gone "error 19" "$(ff B2 'play 0 1')"
check unplug-switch switch 0
ff_close B2
ff_close R

## A pad whose process stops answering (uinput waits 30 s for each upload)
## holds no switch: effects reach the device from their own work.

new_dev pad "devns stall pad"
STALL_FD=$DEV_FD STALL_PID=$DEV_PID
wait_for 10 mirror_node $B "devns stall pad"
ff_client S $(mirror_node $B "devns stall pad") $B_PID
expect_eq stall-upload "id 0" "$(ff S 'upload -1 4001 0')"
echo "sleep 40000" >&$STALL_FD
# took CMD...: CMD ran in under 5 s.
took() {
	local t0=${EPOCHREALTIME/./}
	"$@" && [ $((${EPOCHREALTIME/./} - t0)) -lt 5000000 ]
}
check stall-switch-in-quick took switch $B
check stall-switch-out-quick took switch 0
check stall-switch-again-quick took switch $B
check stall-logged wait_for 40 sh -c "dmesg | grep -q 'force feedback timed out'"
check stall-switch-after-quick took switch 0
ff_close S
exec {STALL_FD}>&-
kill $STALL_PID 2>/dev/null

kill -9 $B_PID
wait
cp $HW "$DEVNS_OUT/input-ff.hw"	# what the pad got, for the record
check unload-all unload_devns
