# devns_fb figures on QEMU's display (bochs), written to the log and to
# $DEVNS_OUT/fb-bench.txt:
#  - full-frame updates per second drawn by the active persona on its virtual
#    framebuffer, against the same drawing on the physical framebuffer with
#    devns unloaded (target: ratio >= 0.9), through mmap and write();
#  - switch latency (root <-> persona, persona <-> persona) against the time
#    of copying two framebuffers in memory (target: <= 1.5 times).
# devns-vm: timeout 240
. "$DEVNS_TOP/tests/vm/lib.sh"
. "$DEVNS_TOP/tests/vm/lib-fb.sh"
bench=$progs/fb-bench
figures=$DEVNS_OUT/fb-bench.txt
seconds=4

# val KEY OUTPUT: the value of KEY=... in fb-bench's OUTPUT.
val() { sed -n "s/^$1=//p" <<<"$2"; }

# target NAME VALUE OP LIMIT: pass if VALUE OP LIMIT (awk), else fail.
target() {
	echo "$1=$2 (target $3 $4)" | tee -a "$figures"
	if awk "BEGIN { exit !($2 $3 $4) }"; then
		pass "$1"
	else
		fail "$1" "$2, target $3 $4"
	fi
}

: >"$figures"
unload_devns
modprobe bochs
check bochs wait_for other_physfb "Virtual FB" || exit 0
Q=$(other_physfb "Virtual FB") qname=$(fbname "$Q")
"$fbtool" kdmode /dev/tty1 graphics

declare -A base
for how in mmap write; do
	out=$("$bench" draw "$Q" $seconds $how)
	base[$how]=$(val fps "$out")
	echo "physical_${how}_fps=${base[$how]}" | tee -a "$figures"
done
frame=$(val frame_bytes "$out")

check load load_devns devns_fb || exit 0
new_persona a A && new_persona b B ||
	{ fail personas "cannot register personas"; exit 0; }
check virtual wait_for pfb "$a_id" "$qname"
QA=$(pfb "$a_id" "$qname")
activate "$a"
for how in mmap write; do
	out=$(inp "$a" "$bench" draw "$QA" $seconds $how)
	fps=$(val fps "$out")
	echo "persona_${how}_fps=$fps" | tee -a "$figures"
	target "${how}-fps-ratio" "$(awk "BEGIN { printf \"%.2f\", $fps / ${base[$how]} }")" '>=' 0.9
done

out=$("$bench" copy $((frame)) 100)
copy=$(val copy_two_median "$out")
echo "copy_two_framebuffers_ms=$copy (2 x $frame bytes)" | tee -a "$figures"

# switches NAME PID N: N switches to PID and back to the root (or, for
# "persona_to_persona", to PID and to persona $a); medians in ms of the
# switch as the core times it and of devns_fb's part of it.
switches() {
	local back=1 i st

	[ "$1" = persona_to_persona ] && back=$a
	for i in $(seq "$3"); do
		activate "$2"
		"$nl" stats >"$DEVNS_OUT/fb-stats-to"
		activate "$back"
		"$nl" stats >"$DEVNS_OUT/fb-stats-back"
		for st in to back; do
			awk -v d=$st '/^switches=/ { sub("last_ns=", "", $2); t = $2 }
				/^subsys=fb / { sub("last_out_ns=", "", $2); sub("last_in_ns=", "", $3); f = $2 + $3 }
				END { printf "%s %.3f %.3f\n", d, t / 1e6, f / 1e6 }' "$DEVNS_OUT/fb-stats-$st"
		done
	done >"$DEVNS_OUT/fb-switches"
}

# median DIR COLUMN: the median of a column of $DEVNS_OUT/fb-switches.
median() {
	awk -v d="$1" '$1 == d { print $'"$2"' }' "$DEVNS_OUT/fb-switches" |
		sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'
}

nl=$DEVNS_TOP/daemon/build/devns-nl
root
for run in root_to_persona:$a persona_to_persona:$b; do
	name=${run%%:*}
	[ "$name" = persona_to_persona ] && activate "$a"
	switches "$name" "${run#*:}" 20
	total=$(median to 2) fb=$(median to 3)
	echo "${name}_switch_ms=$total (devns_fb: $fb)" | tee -a "$figures"
	target "$name-vs-copy" "$(awk "BEGIN { printf \"%.2f\", $total / $copy }")" '<=' 1.5
	if [ "$name" = root_to_persona ]; then
		total=$(median back 2) fb=$(median back 3)
		echo "persona_to_root_switch_ms=$total (devns_fb: $fb)" | tee -a "$figures"
		target persona-to-root-vs-copy "$(awk "BEGIN { printf \"%.2f\", $total / $copy }")" '<=' 1.5
	fi
done

root
"$fbtool" kdmode /dev/tty1 text
check unload unload_devns
