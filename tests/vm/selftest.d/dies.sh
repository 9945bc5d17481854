# Dies after one test.
. "$DEVNS_TOP/tests/vm/lib.sh"
pass one
kill -KILL $$
