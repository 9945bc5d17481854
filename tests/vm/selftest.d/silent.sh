# Reports nothing.
. "$DEVNS_TOP/tests/vm/lib.sh"
true
