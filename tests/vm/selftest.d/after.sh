# Runs after hangs.sh: nothing of it is left.
. "$DEVNS_TOP/tests/vm/lib.sh"
check no-leftovers sh -c '! pgrep -f "sleep 100[01]"'
