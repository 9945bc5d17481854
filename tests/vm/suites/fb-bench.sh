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

root
out=$("$bench" switch 30 "$a" 1)
echo "$out" | sed 's/^to_first/root_to_persona/; s/^to_second/persona_to_root/' |
	tee -a "$figures"
target root-to-persona-vs-copy "$(awk "BEGIN { printf \"%.2f\", $(val to_first_median "$out") / $copy }")" '<=' 1.5
target persona-to-root-vs-copy "$(awk "BEGIN { printf \"%.2f\", $(val to_second_median "$out") / $copy }")" '<=' 1.5
out=$("$bench" switch 30 "$b" "$a")
echo "$out" | sed 's/^to_first/persona_to_persona/; /^to_second/d' | tee -a "$figures"
target persona-to-persona-vs-copy "$(awk "BEGIN { printf \"%.2f\", $(val to_first_median "$out") / $copy }")" '<=' 1.5

root
"$fbtool" kdmode /dev/tty1 text
check unload unload_devns
