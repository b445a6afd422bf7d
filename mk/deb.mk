# Debian packages, and the unit tests of the arm64 build under qemu-user.
#
#   make deb          build/deb/hubkiosk_VERSION_amd64.deb and _arm64.deb,
#                     built against a Debian 13 (trixie) sysroot, with lintian
#   make deb-amd64    one architecture (also deb-arm64)
#   make arm64-test   the unit tests, cross-built for arm64, run by qemu-aarch64
#   make deb-install-test  apt install / purge of the amd64 .deb in a fresh
#                     trixie tree (mmdebstrap; about 4 minutes)
#   make deb-deps     the host packages these need (apt-get)
#
# The sysroots (about 550 MB each, a minute to fetch) are cached in
# $(HK_CACHE), keyed on their package list.

HK_CACHE      ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/hubkiosk
DEB_VERSION   := $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
DEB_ARCHES    ?= amd64 arm64
DEB_HOST_PKGS  = gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross dpkg-dev pkg-config \
                 qemu-user-static lintian make mmdebstrap

DEB_TARGETS    = $(addprefix deb-,$(DEB_ARCHES))

.PHONY: deb $(DEB_TARGETS) deb-lint deb-deps deb-install-test arm64-test

deb: $(DEB_TARGETS)
	$(MAKE) deb-lint

$(DEB_TARGETS): deb-%: deb-deps
	tools/deb-build $* $(HK_CACHE)

# lintian: errors fail the build; warnings and notes are shown.
deb-lint:
	lintian --fail-on error --info \
		$(foreach a,$(DEB_ARCHES),build/deb/hubkiosk_$(DEB_VERSION)_$(a).deb)

deb-install-test: deb-amd64
	tools/deb-install-test build/deb/hubkiosk_$(DEB_VERSION)_amd64.deb

deb-deps:
	@tools/install-deps --only $(DEB_HOST_PKGS)

# The unit tests as an arm64 build (cross-compiled against the trixie arm64
# sysroot) run through qemu-aarch64 with the sysroot as the library root:
# catches what differs on the Pi (char signedness, alignment, time_t ...).
arm64-test: deb-deps
	tools/deb-arm64-test $(HK_CACHE)
