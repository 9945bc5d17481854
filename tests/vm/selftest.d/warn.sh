# Passes, but the kernel log shows a warning.
. "$DEVNS_TOP/tests/vm/lib.sh"
echo "WARNING: devns harness selftest" >/dev/kmsg
pass one
