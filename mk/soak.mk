# The week-long soak (issue 15, item 5; tests/bench/bench_soak.c): seven
# simulated days of the board, the buttons, records, calendar refreshes,
# backups and the companion in one process. It drives the board module
# without its main() (as bench_board does) and calls web_handle() in
# process (as the companion's unit tests do), so it links both, and the
# demo day (admin/demo.c) it starts from, as the fuzzer does. Built by
# `make bench` (it is in BENCH_BIN), run by tools/bench. mk/web.mk is read
# after this file, so its library is named here by path (a prerequisite is
# expanded when read; the flags and the recipe only when used).

$(B)/obj/tests/bench/bench_soak.o: ALL_CFLAGS += $(BOARD_CFLAGS) $(WEB_CFLAGS)
SOAK_OBJ := $(B)/obj/tests/bench/bench_soak.o $(B)/obj/kiosk/admin/demo.o
$(B)/bench/bench_soak: $(SOAK_OBJ) $(BOARD_LIB_OBJ) $(B)/libweb.a $(RECORD_LIB) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(SOAK_OBJ) $(BOARD_LIB_OBJ) $(B)/libweb.a \
		$(LINK_LIBS) $(BOARD_LIBS) $(WEB_LIBS) $(RECORD_LIBS) -lpthread -lm
