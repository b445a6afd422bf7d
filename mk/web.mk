# hubweb, the carer's companion (doc/hubweb.md): built with every build,
# linked like hubctl against the record and core libraries, with
# libmicrohttpd (GnuTLS) for HTTPS and jansson for JSON.
#
#   $(B)/hubweb            the server
#   $(B)/libweb.a          everything of it but main(): the unit test and the
#                          benchmark link what they use
#   make install           also installs hubweb, its unit, user and pages

WEB_PC     = libmicrohttpd gnutls jansson
WEB_CFLAGS := $(call pc_cflags,$(WEB_PC))
WEB_LIBS   := $(call pc_libs,$(WEB_PC))
WEB_SRC    := $(wildcard kiosk/web/*.c)
WEB_OBJ    := $(call obj,$(WEB_SRC))
WEB_LIB    := $(B)/libweb.a
WEB_BIN    := $(B)/hubweb

all: $(WEB_BIN)

$(B)/obj/kiosk/web/%.o $(B)/obj/tests/unit/test_web%.o $(B)/obj/tests/bench/bench_web.o: \
	ALL_CFLAGS += $(WEB_CFLAGS)

$(WEB_LIB): $(filter-out %/web_main.o,$(WEB_OBJ))
	rm -f $@
	$(AR) rcs $@ $^

$(WEB_BIN): $(B)/obj/kiosk/web/web_main.o $(WEB_LIB) $(RECORD_LIB) $(CORE_LIB)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(WEB_LIB) $(LINK_LIBS) $(WEB_LIBS) \
		$(RECORD_LIBS) -lpthread -lm

# The unit tests of the companion (tests/unit/test_web*.c) call web_handle()
# directly: the web library beside the usual ones (a static pattern rule,
# so it wins over the Makefile's pattern rule for tests).
WEB_TESTS := $(filter $(B)/tests/test_web%,$(UNIT_BIN))
$(WEB_TESTS): $(B)/tests/%: $(B)/obj/tests/unit/%.o $(WEB_LIB) $(UNIT_LIB) $(RECORD_LIB) \
		$(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(WEB_LIB) $(UNIT_LIB) $(LINK_LIBS) \
		$(TEST_LIBS) $(WEB_LIBS) $(RECORD_LIBS) -lm

$(B)/bench/bench_web: $(B)/obj/tests/bench/bench_web.o $(BENCH_LIB) $(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BENCH_LIB) $(LINK_LIBS) $(RECORD_LIBS) -lm

.PHONY: install-web uninstall-web
install: install-web
uninstall: uninstall-web

install-web: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(DATADIR)/hubkiosk/web
	install -m 0755 $(WEB_BIN) $(DESTDIR)$(BINDIR)/
	install -m 0644 system/hubweb.service $(DESTDIR)$(UNITDIR)/
	install -m 0644 system/hubweb.sysusers $(DESTDIR)$(SYSUSERSDIR)/hubweb.conf
	if [ -d assets/web ]; then \
		install -m 0644 assets/web/* $(DESTDIR)$(DATADIR)/hubkiosk/web/; fi

uninstall-web:
	rm -f $(DESTDIR)$(BINDIR)/hubweb $(DESTDIR)$(UNITDIR)/hubweb.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/hubweb.conf
	rm -rf $(DESTDIR)$(DATADIR)/hubkiosk/web
