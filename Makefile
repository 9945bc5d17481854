# devns: kernel modules (kbuild, one tree per kernel under build/) and the
# userspace parts (daemon/).
#
#   make [KVER=...]       modules for KVER (default: newest installed headers)
#                         and the userspace programs
#   make check            host unit tests, then the VM suite on every kernel
#                         of the matrix (KVERS)
#   make demo             the QEMU demo
#   make bench            the benchmarks, one table of figures against baselines
#   make install          modules through DKMS, then the userspace parts

KVER ?= $(shell ls -1 /lib/modules 2>/dev/null | while read k; do \
	[ -e /lib/modules/$$k/build/Makefile ] && echo $$k; done | sort -V | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/build/$(KVER)
# Modules to build; a subset is handy while one is being written.
MODULES ?= $(notdir $(wildcard modules/devns_*))

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

.PHONY: all modules userspace check demo bench install uninstall clean

all: modules userspace

# kbuild writes objects next to their sources: build each kernel's modules in
# a copy of the tree so several kernels can be built side by side.
modules:
	@test -n "$(KVER)" || { echo "no kernel headers installed (run scripts/setup)" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@cp -a Kbuild include modules $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) DEVNS_MODULES="$(MODULES)" modules

userspace:
	$(MAKE) -C daemon
	$(MAKE) -C demo/personas

check:
	tests/run-all

demo:
	demo/run

bench:
	tests/run-bench

install:
	dkms add $(CURDIR) || true
	dkms install devns/$(VERSION)
	$(MAKE) -C daemon install

uninstall:
	-dkms remove devns/$(VERSION) --all
	$(MAKE) -C daemon uninstall

clean:
	rm -rf build
	$(MAKE) -C daemon clean
	$(MAKE) -C demo/personas clean
