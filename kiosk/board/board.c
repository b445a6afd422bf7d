/*
 * board.c - one frame of the board, and knowing when a new one is due
 * (see board.h). Start at board_update().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/board.h"
#include "board/webcert.h"
#include "board/draw.h"
#include "board/text.h"
#include "core/day.h"
#include "core/layout.h"
#include "core/pairing.h"
#include "store/store.h"

struct board {
	struct store *st;
	struct text *text;
	struct draw *draw;
	struct layout layout;
	struct scene *scene;            /* the last scene built; NULL before */
	struct day *day;                /* the day it was built from; NULL before */
	struct scene_overlay overlay;   /* laid over every scene built */
	int fresh;                      /* the next update counts as a change */
	int64_t data_version;
	int polled;
	char hub_name[HK_NAME_MAX];     /* "" keeps the store's */
	int dim_at_night;
	char pair_url[192];             /* "" : https://host.local:8443 */
	char host[256];
	char err[256];
};

/* The scene's text measurement, backed by the fonts that will draw it. */
static int measure_width(void *ctx, enum layout_font f, const char *utf8)
{
	return text_width(ctx, f, utf8);
}

static void copy_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

static int layout_for(struct board *b, int w, int h)
{
	int rc = layout_compute(w, h, &b->layout);

	if (rc)
		snprintf(b->err, sizeof b->err,
			 "a %dx%d screen is outside what the board can lay out "
			 "(%dx%d to %dx%d)", w, h, LAYOUT_MIN_W, LAYOUT_MIN_H,
			 LAYOUT_MAX_W, LAYOUT_MAX_H);
	return rc;
}

int board_open(const struct board_config *cfg, SDL_Renderer *r, int w, int h,
	       struct board **out, char *err, size_t errlen)
{
	struct board *b;
	int rc;

	*out = NULL;
	b = calloc(1, sizeof *b);
	if (!b) {
		copy_err(err, errlen, hk_strerror(HK_ENOMEM));
		return HK_ENOMEM;
	}
	b->dim_at_night = cfg->dim_at_night;
	if (cfg->pair_url)
		snprintf(b->pair_url, sizeof b->pair_url, "%s", cfg->pair_url);
	if (gethostname(b->host, sizeof b->host) != 0)
		snprintf(b->host, sizeof b->host, "hub");
	b->host[sizeof b->host - 1] = '\0';
	if (cfg->hub_name)
		snprintf(b->hub_name, sizeof b->hub_name, "%s", cfg->hub_name);
	rc = store_open(cfg->db_path, &b->st, b->err, sizeof b->err);
	if (rc)
		goto err_close;
	rc = text_open(r, cfg->fonts, cfg->n_fonts, &b->text, b->err, sizeof b->err);
	if (rc)
		goto err_close;
	if (cfg->one_frame)
		text_set_image_budget(b->text, 0);
	rc = draw_open(r, b->text, &b->draw);
	if (rc == 0)
		rc = board_resize(b, w, h, NULL, 0);
	if (rc)
		goto err_close;
	*out = b;
	return 0;
err_close:
	copy_err(err, errlen, b->err[0] ? b->err : hk_strerror(rc));
	board_close(b);
	return rc;
}

void board_attach(struct board *b, SDL_Renderer *r)
{
	text_attach(b->text, r);
	draw_attach(b->draw, r);
}

void board_close(struct board *b)
{
	if (!b)
		return;
	scene_free(b->scene);
	day_free(b->day);
	draw_close(b->draw);
	text_close(b->text);
	store_close(b->st);
	free(b);
}

int board_resize(struct board *b, int w, int h, char *err, size_t errlen)
{
	int rc = layout_for(b, w, h);

	if (rc == 0)
		rc = text_set_sizes(b->text, b->layout.font_px, b->err, sizeof b->err);
	if (rc) {
		copy_err(err, errlen, b->err);
		return rc;
	}
	b->fresh = 1;
	return 0;
}

int board_poll(struct board *b, int *changed)
{
	int64_t v;
	int rc = store_data_version(b->st, &v);

	*changed = 0;
	if (rc) {
		snprintf(b->err, sizeof b->err, "%s", store_errmsg(b->st));
		return rc;
	}
	*changed = !b->polled || v != b->data_version;
	b->polled = 1;
	b->data_version = v;
	return 0;
}

/* An open pairing, laid over d: its QR code's link and the code. A store
 * that has none says HK_ENOTFOUND, which is no failure. */
static int pairing_at(struct board *b, hk_time now, struct day *d)
{
	struct store_pairing p;
	char link[PAIRING_LINK_MAX];
	int rc = store_pairing_current(b->st, now, &p);

	if (rc == HK_ENOTFOUND)
		return 0;
	if (rc) {
		snprintf(b->err, sizeof b->err, "%s", store_errmsg(b->st));
		return rc;
	}
	if (pairing_link(b->pair_url, b->host, p.code, link, sizeof link) == 0) {
		char fp[48];

		day_set_pairing(d, link, p.code, p.expires);
		if (webcert_fingerprint(NULL, fp, sizeof fp) == 0)
			day_set_pairing_fingerprint(d, fp);
	}
	return 0;
}

/* No phone paired yet (or every one revoked): the board says how to pair.
 * A store that cannot say keeps the line away. */
static void pair_hint_at(struct board *b, struct day *d)
{
	struct store_device *list = NULL;
	int i, n = 0;

	if (store_device_list(b->st, &list, &n) != 0)
		return;
	d->pair_hint = 1;
	for (i = 0; i < n; i++)
		if (!list[i].revoked)
			d->pair_hint = 0;
	free(list);
}

/* The backup's health as one quiet line: nothing while all is well (or
 * when no medium was ever set up: that is the carer's choice, told on the
 * console). A store that cannot say keeps the board quiet too. */
static void backup_at(struct board *b, hk_time now, struct day *d)
{
	struct store_backup_health h;
	int64_t days;

	if (store_backup_health(b->st, now, &h) != 0)
		return;
	days = h.last ? (now - h.last) / 86400 : 0;
	switch (h.state) {
	case STORE_BACKUP_STALE:
		if (h.last && days >= 1) {
			char note[96];

			snprintf(note, sizeof note, "Backup %lld day%s old \xE2\x80\x94 tell the"
				 " carer", (long long)days, days == 1 ? "" : "s");
			day_set_backup_note(d, note);
		} else {
			day_set_backup_note(d, "No backup yet \xE2\x80\x94 tell the carer");
		}
		break;
	case STORE_BACKUP_MISSING:
		day_set_backup_note(d, "Backup stick not found \xE2\x80\x94 tell the carer");
		break;
	case STORE_BACKUP_FULL:
		day_set_backup_note(d, "Backup stick full \xE2\x80\x94 tell the carer");
		break;
	case STORE_BACKUP_FAILING:
		day_set_backup_note(d, "Backup failing \xE2\x80\x94 tell the carer");
		break;
	default:
		break;
	}
}

/* The day at now, as the board shows it: the configured hub name, no
 * dimming if the config turned it off, an open pairing and the backup's
 * note. */
static int day_at(struct board *b, hk_time now, struct day **out)
{
	struct hk_snapshot *snap = NULL;
	hk_time from, to;
	int rc;

	day_window(now, &from, &to);
	rc = store_snapshot(b->st, from, to, &snap);
	if (rc) {
		snprintf(b->err, sizeof b->err, "%s", store_errmsg(b->st));
		return rc;
	}
	if (b->hub_name[0])
		memcpy(snap->hub_name, b->hub_name, sizeof snap->hub_name);
	rc = day_build(snap, now, out);
	hk_snapshot_free(snap);
	if (rc) {
		snprintf(b->err, sizeof b->err, "%s", hk_strerror(rc));
		return rc;
	}
	if (!b->dim_at_night)
		(*out)->night = 0;
	backup_at(b, now, *out);
	pair_hint_at(b, *out);
	rc = pairing_at(b, now, *out);
	if (rc) {
		day_free(*out);
		*out = NULL;
	}
	return rc;
}

/* A new scene from the kept day and overlay; the old one stays on failure. */
static int rebuild(struct board *b, int *changed)
{
	struct scene_measure m = { b->text, measure_width };
	struct scene *sc = NULL;
	int rc;

	*changed = 0;
	rc = scene_build(b->day, &b->layout, &m, &b->overlay, &sc);
	if (rc) {
		snprintf(b->err, sizeof b->err, "%s", hk_strerror(rc));
		return rc;
	}
	*changed = b->fresh || !b->scene || !scene_equal(sc, b->scene);
	scene_free(b->scene);
	b->scene = sc;
	b->fresh = 0;
	return 0;
}

int board_update(struct board *b, hk_time now, int *changed)
{
	struct day *d = NULL;
	int rc;

	*changed = 0;
	rc = day_at(b, now, &d);
	if (rc)
		return rc;
	day_free(b->day);
	b->day = d;
	return rebuild(b, changed);
}

void board_set_overlay(struct board *b, const struct scene_overlay *ov)
{
	b->overlay = *ov;
}

int board_restage(struct board *b, int *changed)
{
	*changed = 0;
	if (!b->day)
		return 0;
	return rebuild(b, changed);
}

int board_paint(struct board *b)
{
	return board_paint_rows(b, 0, 0);
}

int board_paint_rows(struct board *b, int y0, int rows)
{
	int rc;

	if (!b->scene)
		return 0;
	rc = draw_scene_rows(b->draw, b->scene, y0, rows);
	if (rc)
		snprintf(b->err, sizeof b->err, "drawing failed: %s", SDL_GetError());
	return rc;
}

hk_time board_expires(const struct board *b)
{
	return b->day ? b->day->pairing.until : 0;
}

const struct scene *board_scene(const struct board *b)
{
	return b->scene;
}

const char *board_errmsg(const struct board *b)
{
	return b->err;
}
