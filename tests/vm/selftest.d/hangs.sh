# devns-vm: timeout 5
# Hangs after one test, with something in the background.
. "$DEVNS_TOP/tests/vm/lib.sh"
pass one
sleep 1001 &
sleep 1000
