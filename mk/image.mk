# The Raspberry Pi SD-card image and its boot test (not part of `make test`:
# the first build takes tens of minutes under emulation).
#
#   make image        build/image/hubkiosk-VERSION-arm64.img (+ .img.xz)
#   make image-test   boot it under qemu-system-aarch64 and check the board
#   make image-deps   the host packages these need (apt-get)
#
# The slow part, the Debian root filesystem built by mmdebstrap under
# qemu-user, is cached in $(HK_CACHE)/image keyed on image/packages and
# image/rootfs/*; set IMAGE_XZ=no to skip the compressed copy.

IMAGE      = build/image/hubkiosk-$(DEB_VERSION)-arm64.img
IMAGE_XZ  ?= yes
IMAGE_HOST_PKGS = mmdebstrap qemu-user-static binfmt-support arch-test \
                  qemu-system-arm mtools dosfstools e2fsprogs fdisk xz-utils \
                  netpbm python3 debian-archive-keyring curl openssl tesseract-ocr \
                  age libarchive-tools

.PHONY: image image-test image-deps

image-deps: deb-deps
	@tools/install-deps --only $(IMAGE_HOST_PKGS)

image: image-deps deb-arm64
	tools/image-build build/deb/hubkiosk_$(DEB_VERSION)_arm64.deb $(HK_CACHE)/image $(IMAGE)
ifeq ($(IMAGE_XZ),yes)
	nice -n 19 xz -3 -T2 -k -f $(IMAGE)
endif
	@ls -l --block-size=M $(IMAGE)*

image-test: image-deps
	@test -f $(IMAGE) || { echo "image-test: no $(IMAGE): run 'make image' first" >&2; exit 1; }
	tools/image-test $(IMAGE) build/image-test
