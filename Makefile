# devns: kernel modules (kbuild, one tree per kernel under build/) and the
# userspace parts (daemon/).
#
#   make [KVER=...]       modules for KVER (default: newest installed headers)
#                         and the userspace programs
#   make check            host unit tests, then the VM suite on every kernel
#                         of the matrix (KVERS)
#   make demo             the QEMU demo
#   make bench            the benchmarks, one table of figures against baselines
#   make deb              Debian packages devns-dkms and devnsd in build/deb/
#   make install          modules through DKMS, then the userspace parts
#                         (make install-modules DKMS_ARGS='-k KVER': modules only)

KVER ?= $(shell ls -1 /lib/modules 2>/dev/null | while read k; do \
	[ -e /lib/modules/$$k/build/Makefile ] && echo $$k; done | sort -V | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/build/$(KVER)
# Modules to build; a subset is handy while one is being written.
MODULES ?= $(notdir $(wildcard modules/devns_*))

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

.PHONY: all modules test-modules userspace check demo bench deb install install-modules uninstall clean

all: modules userspace

# kbuild writes objects next to their sources: build each kernel's modules in
# a copy of the tree so several kernels can be built side by side.
modules:
	@test -n "$(KVER)" || { echo "no kernel headers installed (run scripts/setup)" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@cp -a Kbuild include modules $(BUILD)/
	$(MAKE) -C $(KDIR) M=$(BUILD) DEVNS_MODULES="$(MODULES)" modules
	@$(MAKE) --no-print-directory test-modules

# The VM suites' own modules (tests/vm/modules): same kbuild, never installed.
test-modules:
	@mkdir -p $(BUILD)/test-modules
	@cp -a tests/vm/modules/. $(BUILD)/test-modules/
	$(MAKE) -C $(KDIR) M=$(BUILD)/test-modules modules

userspace:
	$(MAKE) -C daemon
	$(MAKE) -C demo/personas

check:
	tests/run-all

demo:
	demo/run

bench:
	tests/run-bench

# dpkg-buildpackage writes beside the source tree: build a copy in build/deb.
DEB_SRC := build/deb/devns-$(VERSION)

deb:
	rm -rf build/deb
	mkdir -p $(DEB_SRC)
	tar -c --exclude=build Kbuild Makefile dkms.conf README.md include \
		modules daemon debian | tar -x -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_SRC)

# DKMS builds from its own copy of the module sources; DKMS_ARGS may name
# kernels (-k KVER), by default the running one.
DKMS_SRC := /usr/src/devns-$(VERSION)

install: install-modules
	$(MAKE) -C daemon install

install-modules:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -a Kbuild dkms.conf include modules $(DKMS_SRC)/
	dkms status devns/$(VERSION) | grep -q . || dkms add devns/$(VERSION)
	dkms install devns/$(VERSION) $(DKMS_ARGS)

uninstall:
	-dkms remove devns/$(VERSION) --all
	rm -rf $(DKMS_SRC)
	$(MAKE) -C daemon uninstall

clean:
	rm -rf build
	$(MAKE) -C daemon clean
	$(MAKE) -C demo/personas clean
