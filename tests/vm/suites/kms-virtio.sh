# The kms suite on virtio-gpu instead of bochs: shmem buffers that reach the
# display only through dirty flushes (drm_client_framebuffer_flush), on the
# matrix's ends (6.1 and the newest rt flavour).
# devns-vm: qemu-args -vga none -device virtio-gpu-pci
# devns-vm: ends
# devns-vm: timeout 900
kms_phys_module=virtio_gpu kms_phys_driver=virtio_gpu
(. "$DEVNS_TOP/tests/vm/suites/kms.sh")
. "$DEVNS_TOP/tests/vm/suites/kms-unplug.sh"
