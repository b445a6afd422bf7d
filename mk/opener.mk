# open.html, the opener on the export stick (tools/opener): one HTML file
# with its script and style inline that opens a sealed export offline in
# a browser. Built with every build by node and esbuild from the npm
# modules that tools/opener/package-lock.json pins (npm ci fetches them
# once into tools/opener/node_modules; tools/install-deps does it too).
#
#   $(B)/open.html         the page; hubctl export copies it to the stick
#   make install           also installs it as $(DATADIR)/hubkiosk/open.html

NODE        ?= node
NPM         ?= npm
OPENER_DIR  := tools/opener
OPENER_SRC  := $(OPENER_DIR)/build.mjs $(wildcard $(OPENER_DIR)/src/*)
# npm ci writes this file last: the modules are all there.
OPENER_MODS := $(OPENER_DIR)/node_modules/.package-lock.json

all: $(B)/open.html

$(OPENER_MODS): $(OPENER_DIR)/package-lock.json $(OPENER_DIR)/package.json
	cd $(OPENER_DIR) && $(NPM) ci --prefer-offline --no-audit --no-fund --loglevel=error
	touch $@

$(B)/open.html: $(OPENER_SRC) $(OPENER_MODS)
	@mkdir -p $(@D)
	$(NODE) $(OPENER_DIR)/build.mjs $@

.PHONY: install-opener
install: install-opener

install-opener: $(B)/open.html
	install -d $(DESTDIR)$(DATADIR)/hubkiosk
	install -m 0644 $(B)/open.html $(DESTDIR)$(DATADIR)/hubkiosk/open.html
