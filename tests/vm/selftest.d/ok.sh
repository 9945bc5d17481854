# Passes.
. "$DEVNS_TOP/tests/vm/lib.sh"
pass one
