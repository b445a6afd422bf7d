/*
 * test_device.c - pairing a phone by being in the room: a one-time code
 * that works once and only for two minutes, a credential kept only as a
 * hash, sign-out at once, and a resent change never saved twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hk.h"
#include "store/store.h"
#include "fx.h"

#define T0 1795000000

static struct store_actor at(hk_time t)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:test", t, NULL };

	return a;
}

static const unsigned char cred1[32] = { 1, 2, 3 };
static const unsigned char cred2[32] = { 9, 9, 9 };

static void test_code_works_once_and_expires(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_pairing p, cur;
	struct store_device d;
	hk_id id = 0;
	size_t i;

	assert_int_equal(store_pairing_current(f->st, T0, &cur), HK_ENOTFOUND);
	assert_int_equal(store_pairing_start(f->st, &a, "Sam's phone", &p), 0);
	assert_int_equal(strlen(p.code), STORE_PAIR_CODE_LEN);
	for (i = 0; i < strlen(p.code); i++)
		assert_null(strchr("01IOL", p.code[i]));
	assert_int_equal(store_pairing_current(f->st, T0 + 119, &cur), 0);
	assert_string_equal(cur.code, p.code);
	assert_int_equal(store_pairing_current(f->st, T0 + 120, &cur), HK_ENOTFOUND);

	a.at = T0 + 10;
	assert_int_equal(store_pairing_redeem(f->st, &a, "WRONGCODE7", "", cred1, "10.0.0.5",
					      &id), HK_ENOTFOUND);
	assert_int_equal(store_pairing_redeem(f->st, &a, "WAYTOOLONGACODE", "", cred1,
					      "10.0.0.5", &id), HK_ENOTFOUND);
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "", cred1, "10.0.0.5", &id), 0);
	assert_true(id > 0);
	/* used up */
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "", cred2, "10.0.0.6", NULL),
			 HK_ENOTFOUND);
	assert_int_equal(store_device_auth(f->st, cred1, "10.0.0.5", T0 + 20, &d), 0);
	assert_string_equal(d.name, "Sam's phone");
	assert_int_equal(store_device_auth(f->st, cred2, "10.0.0.5", T0 + 20, &d), HK_ENOTFOUND);

	/* expired */
	a.at = T0 + 1000;
	assert_int_equal(store_pairing_start(f->st, &a, "", &p), 0);
	a.at = T0 + 1000 + STORE_PAIR_TTL_S;
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "Tablet", cred2, "10.0.0.6",
					      NULL), HK_ENOTFOUND);
}

static void test_revoke_at_once(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_pairing p;
	struct store_device d, *list = NULL;
	hk_id one, two;
	int n;

	assert_int_equal(store_pairing_start(f->st, &a, "One", &p), 0);
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "", cred1, "10.0.0.5", &one), 0);
	assert_int_equal(store_pairing_start(f->st, &a, "", &p), 0);
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "Two", cred2, "10.0.0.6", &two),
			 0);
	assert_int_equal(store_device_auth(f->st, cred2, "10.0.0.7", T0 + 5, &d), 0);
	assert_string_equal(d.last_addr, "10.0.0.7");
	assert_int_equal(store_device_revoke_others(f->st, &a, two, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_device_auth(f->st, cred1, "10.0.0.5", T0 + 6, &d), HK_ESTATE);
	assert_int_equal(store_device_revoke(f->st, &a, one), HK_ESTATE);
	assert_int_equal(store_device_revoke(f->st, &a, two), 0);
	assert_int_equal(store_device_auth(f->st, cred2, "10.0.0.7", T0 + 7, &d), HK_ESTATE);
	assert_int_equal(store_device_list(f->st, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_true(list[0].revoked && list[1].revoked);
	free(list);
}

static void test_resend_not_saved_twice(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	int64_t seq1, seq2;
	hk_time when;
	hk_id id;

	a.request = "0d6c1a52-3f0e-4d8e-9a51-0c1f6b2a7e11";
	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &id), 0);
	assert_int_equal(store_journal_head(f->st, &seq1, (unsigned char[32]){ 0 }), 0);
	assert_int_equal(store_bed_add(f->st, &a, "Willow 2", "", &id), HK_EDUPLICATE);
	assert_int_equal(store_journal_head(f->st, &seq2, (unsigned char[32]){ 0 }), 0);
	assert_int_equal(seq1, seq2);
	assert_int_equal(store_request_find(f->st, a.request, &seq2, &when), 0);
	assert_int_equal(seq2, seq1);
	assert_int_equal(when, T0);
	a.request = NULL;
	assert_int_equal(store_bed_add(f->st, &a, "Willow 2", "", &id), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_code_works_once_and_expires),
		T(test_revoke_at_once),
		T(test_resend_not_saved_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
