/*
 * text.c - fonts, fallback, bidi, shaping and the text cache (see text.h).
 *
 * The path of a string: decode UTF-8 (decode) -> choose a font per codepoint
 * (pick_face) -> bidi levels (fribidi) -> split into runs of one font, one
 * script and one level (segment) -> visual order of runs (reorder, UAX #9
 * L2) -> measure each run with SDL_ttf/HarfBuzz (measure_runs). text_width()
 * stops there; text_render() then renders each run and puts them side by
 * side on one surface (compose). Both go through line_build(), which is why
 * a measured width is always the drawn width.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>
#include <fribidi.h>

#include "board/cmap.h"
#include "board/fontfile.h"
#include "board/text.h"
#include "core/hk.h"

#define NOTO "/usr/share/fonts/truetype/noto/"
#define NOTO_OT "/usr/share/fonts/opentype/noto/"

const char *const text_default_chain[] = {
	NOTO "NotoSans-Regular.ttf",            /* Latin, Greek, Cyrillic */
	NOTO "NotoSansArabic-Regular.ttf",
	NOTO "NotoSansHebrew-Regular.ttf",
	NOTO "NotoSansDevanagari-Regular.ttf",
	NOTO "NotoSansBengali-Regular.ttf",
	NOTO "NotoSansGurmukhi-Regular.ttf",
	NOTO "NotoSansGujarati-Regular.ttf",
	NOTO "NotoSansTamil-Regular.ttf",
	NOTO "NotoSansSinhala-Regular.ttf",
	NOTO "NotoSansThai-Regular.ttf",
	NOTO "NotoSansEthiopic-Regular.ttf",
	NOTO "NotoSansArmenian-Regular.ttf",
	NOTO "NotoSansGeorgian-Regular.ttf",
	NOTO_OT "NotoSansCJK-Regular.ttc",      /* Chinese, Japanese, Korean */
	NOTO "NotoColorEmoji.ttf",
	NOTO "NotoSansSymbols-Regular.ttf",
	NOTO "NotoSansSymbols2-Regular.ttf",
	NOTO "NotoSansMath-Regular.ttf",
};
const int text_default_chain_len =
	(int)(sizeof text_default_chain / sizeof text_default_chain[0]);

#define CHAIN_MAX 64
#define WIDTH_CACHE_CAP 1024
#define IMAGE_CACHE_CAP 256
/* A full board is well under this; the bound only matters when names churn. */
#define IMAGE_CACHE_BYTES ((size_t)64 << 20)

/* One font file of the chain. */
struct entry {
	char *path[2];          /* regular, bold (the same file when no bold exists) */
	long index;             /* face in a .ttc ("file.ttc#2") */
	int fake_bold;          /* the bold role sets TTF_STYLE_BOLD on path[0] */
	int fixed;              /* -1 not known yet, 0 scalable, 1 one bitmap strike */
	/* "Has this codepoint?" is answered from the file's own character
	 * map (cmap.h), read on first need, so the fallback search opens no
	 * font: a file's role faces are opened only when it really draws.
	 * For a file cmap.c cannot read, a small face of the regular file is
	 * opened instead (the probe): coverage does not depend on size, so
	 * that is one face per file, not one per role. */
	struct cmap *cmap;
	int cmap_tried;
	TTF_Font *probe;
	int probe_tried;
	/* A fallback font (any entry but the first) draws a few characters
	 * of a few strings: one face of each of its files serves every role,
	 * sized to the role asking (a colour emoji font has one size
	 * anyway). A CJK face is a megabyte; the first font keeps a face per
	 * role, as it draws nearly everything. */
	TTF_Font *shared[2];    /* regular, bold file */
	int shared_px[2];
	int shared_tried[2];
};

/* One entry opened for one role, lazily. */
struct face {
	TTF_Font *font;
	int tried;
};

struct cached {
	char *s;
	uint32_t hash;
	int role;
	uint64_t colours;       /* text and pictures colour (colours_of); 0 for widths */
	uint64_t used;          /* 0: empty slot */
	int w;                  /* width cache */
	struct text_image img;  /* image cache */
};

struct lru {
	struct cached *slot;
	int cap;
	size_t bytes, max_bytes;
};

struct text {
	SDL_Renderer *r;
	struct entry *chain;
	int n_chain;
	int px[LAYOUT_FONT_COUNT];
	struct face *faces;     /* [role * n_chain + i] */
	struct lru widths, images;
	uint64_t tick;
	long renders, hits;
};

/* A run: codepoints [first, first + count), in one face, script and level. */
struct run {
	int first, count;
	int face;
	int level;
	const char *script;
	int w, h;               /* as drawn (fixed faces: scaled to the line) */
};

/* A string laid out as runs in visual order. */
struct line {
	const char *utf8;
	uint32_t *cp;
	int *off;               /* byte offset of each codepoint; off[n] = strlen */
	int *face;              /* chosen face per codepoint */
	int n;
	struct run *runs;
	int n_runs;
	int width;
};

/* ---- codepoints ------------------------------------------------------ */

/* Decodes one UTF-8 sequence at s; a malformed one is U+FFFD for one byte. */
static int decode_one(const unsigned char *s, uint32_t *cp)
{
	int len, i;
	uint32_t c = s[0], min;

	if (c < 0x80) { *cp = c; return 1; }
	if ((c & 0xE0) == 0xC0) { len = 2; c &= 0x1F; min = 0x80; }
	else if ((c & 0xF0) == 0xE0) { len = 3; c &= 0x0F; min = 0x800; }
	else if ((c & 0xF8) == 0xF0) { len = 4; c &= 0x07; min = 0x10000; }
	else goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

/* A codepoint that belongs to the one before it, whatever fonts have it:
 * nonspacing marks, joiners, variation selectors, emoji modifiers, tags. */
static int is_sticky(uint32_t c)
{
	if (c == 0x200C || c == 0x200D || c == 0x20E3)
		return 1;
	if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
		return 1;
	if ((c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F))
		return 1;
	return fribidi_get_bidi_type(c) == FRIBIDI_TYPE_NSM;
}

struct script_range { uint32_t lo, hi; const char *tag; };

/* The scripts whose shaping matters, as ISO 15924 tags; everything else is
 * common (punctuation, digits, spaces) and joins the run it stands in. */
static const struct script_range scripts[] = {
	{ 0x0041, 0x005A, "Latn" }, { 0x0061, 0x007A, "Latn" },
	{ 0x00C0, 0x024F, "Latn" }, { 0x1E00, 0x1EFF, "Latn" },
	{ 0x0370, 0x03FF, "Grek" }, { 0x1F00, 0x1FFF, "Grek" },
	{ 0x0400, 0x052F, "Cyrl" }, { 0x0530, 0x058F, "Armn" },
	{ 0x0590, 0x05FF, "Hebr" }, { 0xFB1D, 0xFB4F, "Hebr" },
	{ 0x0600, 0x06FF, "Arab" }, { 0x0750, 0x077F, "Arab" },
	{ 0x08A0, 0x08FF, "Arab" }, { 0xFB50, 0xFDFF, "Arab" },
	{ 0xFE70, 0xFEFF, "Arab" },
	{ 0x0900, 0x097F, "Deva" }, { 0x0980, 0x09FF, "Beng" },
	{ 0x0A00, 0x0A7F, "Guru" }, { 0x0A80, 0x0AFF, "Gujr" },
	{ 0x0B80, 0x0BFF, "Taml" }, { 0x0D80, 0x0DFF, "Sinh" },
	{ 0x0E00, 0x0E7F, "Thai" }, { 0x10A0, 0x10FF, "Geor" },
	{ 0x1100, 0x11FF, "Hang" }, { 0x1200, 0x139F, "Ethi" },
	{ 0x3040, 0x309F, "Hira" }, { 0x30A0, 0x30FF, "Kana" },
	{ 0x3400, 0x4DBF, "Hani" }, { 0x4E00, 0x9FFF, "Hani" },
	{ 0xAC00, 0xD7AF, "Hang" }, { 0xF900, 0xFAFF, "Hani" },
	{ 0x20000, 0x3134F, "Hani" },
};

/* 1 unless both are known scripts and differ; common joins anything. */
static int script_fits(const char *a, const char *b)
{
	return !a || !b || strcmp(a, b) == 0;
}


static const char *script_of(uint32_t c)
{
	size_t i;

	for (i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
		if (c >= scripts[i].lo && c <= scripts[i].hi)
			return scripts[i].tag;
	return NULL;
}

/* ---- the chain ------------------------------------------------------- */

static int role_is_bold(int role)
{
	return role == LAYOUT_FONT_BOLD;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "…/NotoSans-Regular.ttf" -> "…/NotoSans-Bold.ttf" if that file exists. */
static char *bold_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *reg = strstr(slash ? slash : path, "Regular");
	size_t head;
	char *b;

	if (!reg)
		return NULL;
	head = (size_t)(reg - path);
	b = malloc(strlen(path) + 1);
	if (!b)
		return NULL;
	snprintf(b, strlen(path) + 1, "%.*sBold%s", (int)head, path, reg + strlen("Regular"));
	if (access(b, R_OK) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

static void entry_free(struct entry *e)
{
	cmap_close(e->cmap);
	if (e->probe)
		TTF_CloseFont(e->probe);
	if (e->path[1] != e->path[0])
		free(e->path[1]);
	free(e->path[0]);
}

/* Fills e from "path" or "path#index". HK_EINVAL if the file can't be read. */
static int entry_init(struct entry *e, const char *spec)
{
	const char *hash = strrchr(spec, '#');
	size_t len = hash ? (size_t)(hash - spec) : strlen(spec);
	char *end;

	memset(e, 0, sizeof *e);
	e->fixed = -1;
	if (hash) {
		errno = 0;
		e->index = strtol(hash + 1, &end, 10);
		if (errno || *end || end == hash + 1 || e->index < 0)
			return HK_EINVAL;
	}
	e->path[0] = strndup(spec, len);
	if (!e->path[0])
		return HK_ENOMEM;
	if (access(e->path[0], R_OK) != 0) {
		free(e->path[0]);
		return HK_EINVAL;
	}
	e->path[1] = bold_path(e->path[0]);
	if (!e->path[1]) {
		e->path[1] = e->path[0];
		e->fake_bold = 1;
	}
	return 0;
}

static int chain_init(struct text *t, const char *const *chain, int n,
		      char *err, size_t errlen)
{
	int explicit = chain && n > 0, i, rc;

	if (!explicit) {
		chain = text_default_chain;
		n = text_default_chain_len;
	}
	if (n > CHAIN_MAX) {
		set_err(err, errlen, "too many fonts in the chain (at most %d)", CHAIN_MAX);
		return HK_EINVAL;
	}
	t->chain = calloc((size_t)n, sizeof *t->chain);
	if (!t->chain)
		return HK_ENOMEM;
	for (i = 0; i < n; i++) {
		rc = entry_init(&t->chain[t->n_chain], chain[i]);
		if (rc == 0) {
			t->n_chain++;
			continue;
		}
		if (rc == HK_ENOMEM)
			return rc;
		if (explicit) {
			set_err(err, errlen, "font '%s' cannot be read or is malformed", chain[i]);
			return rc;
		}
	}
	if (t->n_chain == 0) {
		set_err(err, errlen, "no font found: install fonts-noto-core (looked in %s)", NOTO);
		return HK_EINVAL;
	}
	return 0;
}

/* 1 when the font has one bitmap strike whatever size is asked: SDL_ttf then
 * gives the same height at any size (colour emoji). Asked of f itself, sized
 * up and back (nothing is cached in a face just opened), not of a second
 * copy of the file. */
/* TTF_OpenFontIndexDPI() through fontfile.h's fewer system calls. */
static TTF_Font *font_open(const char *path, int px, long index)
{
	SDL_RWops *rw = fontfile_open(path);

	return rw ? TTF_OpenFontIndexDPIRW(rw, 1, px, index, 72, 72) : NULL;
}

static int font_is_fixed(TTF_Font *f, int px)
{
	int h = TTF_FontHeight(f), fixed;

	if (TTF_SetFontSizeDPI(f, px * 2 + 10, 72, 72) != 0)
		return 0;
	fixed = TTF_FontHeight(f) == h;
	TTF_SetFontSizeDPI(f, px, 72, 72);
	return fixed;
}

/*
 * Hinting fits outlines to the pixel grid: it sharpens small text and does
 * nothing a reader sees at the board's sizes from 24 px up, where it cost a
 * tenth of a --screenshot (every glyph loaded twice, once for HarfBuzz's
 * hinted advance, through FreeType's bytecode interpreter). So large text
 * is drawn unhinted, as most renderers do at such sizes; a 7" 800x480 panel
 * keeps it for its 12-16 px text.
 */
#define HINT_BELOW_PX 24

static void set_hinting(TTF_Font *f, int px)
{
	int h = px < HINT_BELOW_PX ? TTF_HINTING_NORMAL : TTF_HINTING_NONE;

	if (TTF_GetFontHinting(f) != h)
		TTF_SetFontHinting(f, h);
}

/* The shared face of fallback entry i (struct entry), set up for role:
 * its size, and the bold style where the file has no bold. */
static TTF_Font *shared_get(struct text *t, int role, int i)
{
	struct entry *e = &t->chain[i];
	int bold = role_is_bold(role), v = e->path[1] != e->path[0] ? bold : 0, style;
	int px = t->px[role];
	TTF_Font *f;

	if (!e->shared_tried[v]) {
		e->shared_tried[v] = 1;
		e->shared[v] = font_open(e->path[v], px, e->index);
		e->shared_px[v] = px;
		if (e->shared[v] && e->fixed < 0)
			e->fixed = font_is_fixed(e->shared[v], px);
	}
	f = e->shared[v];
	if (!f)
		return NULL;
	if (e->fixed != 1 && e->shared_px[v] != px && TTF_SetFontSizeDPI(f, px, 72, 72) == 0)
		e->shared_px[v] = px;
	style = bold && e->fake_bold && e->fixed != 1 ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL;
	if (TTF_GetFontStyle(f) != style)
		TTF_SetFontStyle(f, style);
	if (e->fixed != 1)
		set_hinting(f, px);
	return f;
}

/* The font of chain entry i in role, opened on first use; NULL if it can't. */
static TTF_Font *face_get(struct text *t, int role, int i)
{
	struct face *fc = &t->faces[role * t->n_chain + i];
	struct entry *e = &t->chain[i];
	int bold = role_is_bold(role);

	if (i > 0)
		return shared_get(t, role, i);
	if (fc->tried)
		return fc->font;
	fc->tried = 1;
	fc->font = font_open(e->path[bold], t->px[role], e->index);
	if (!fc->font)
		return NULL;
	if (e->fixed < 0)
		e->fixed = font_is_fixed(fc->font, t->px[role]);
	if (bold && e->fake_bold && !e->fixed)
		TTF_SetFontStyle(fc->font, TTF_STYLE_BOLD);
	set_hinting(fc->font, t->px[role]);
	return fc->font;
}

#define PROBE_PX 16

static TTF_Font *probe_get(struct entry *e)
{
	if (e->probe_tried)
		return e->probe;
	e->probe_tried = 1;
	e->probe = font_open(e->path[0], PROBE_PX, e->index);
	if (e->probe && e->fixed < 0)
		e->fixed = font_is_fixed(e->probe, PROBE_PX);
	return e->probe;
}

/* The entry's character map, read on first need; NULL if cmap.c cannot
 * read the file. A colour bitmap font is known to be fixed from it. */
static const struct cmap *cmap_get(struct entry *e)
{
	if (e->cmap_tried)
		return e->cmap;
	e->cmap_tried = 1;
	if (cmap_open(e->path[0], e->index, &e->cmap) != 0)
		return NULL;
	if (e->fixed < 0 && cmap_colour(e->cmap))
		e->fixed = 1;
	return e->cmap;
}

/* Whether chain entry i can draw c (in any role: see struct entry). */
static int face_provides(struct text *t, int role, int i, uint32_t c)
{
	const struct cmap *cm = cmap_get(&t->chain[i]);
	TTF_Font *f;

	(void)role;
	if (cm)
		return cmap_has(cm, c);
	f = probe_get(&t->chain[i]);
	return f && TTF_GlyphIsProvided32(f, c);
}

static void faces_close(struct text *t)
{
	int i, v;

	for (i = 0; i < t->n_chain; i++) {
		for (v = 0; v < 2; v++) {
			if (t->chain[i].shared[v])
				TTF_CloseFont(t->chain[i].shared[v]);
			t->chain[i].shared[v] = NULL;
			t->chain[i].shared_tried[v] = 0;
		}
	}
	if (!t->faces)
		return;
	for (i = 0; i < LAYOUT_FONT_COUNT * t->n_chain; i++) {
		if (t->faces[i].font)
			TTF_CloseFont(t->faces[i].font);
		t->faces[i].font = NULL;
		t->faces[i].tried = 0;
	}
}

/* ---- runs ------------------------------------------------------------ */

/* The first face that has c; an emoji presentation selector after c prefers
 * a colour (fixed) face. The first face when none has it (a box is drawn). */
static int face_search(struct text *t, int role, uint32_t c, int want_emoji)
{
	int i;

	if (want_emoji) /* face_provides() first: it learns whether the font is fixed */
		for (i = 0; i < t->n_chain; i++)
			if (face_provides(t, role, i, c) && t->chain[i].fixed == 1)
				return i;
	for (i = 0; i < t->n_chain; i++)
		if (face_provides(t, role, i, c))
			return i;
	return 0;
}

/* Codepoints shown as colour emoji even without U+FE0F (Unicode's
 * Emoji_Presentation, the BMP part; the pictograph planes whole), so the
 * scene's icons do not come out as black symbols from a text font. */
static int is_emoji_presentation(uint32_t c)
{
	static const uint32_t bmp[][2] = {
		{ 0x231A, 0x231B }, { 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
		{ 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x267F, 0x267F },
		{ 0x2693, 0x2693 }, { 0x26A1, 0x26A1 }, { 0x26AA, 0x26AB }, { 0x26BD, 0x26BE },
		{ 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE }, { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA },
		{ 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA }, { 0x26FD, 0x26FD },
		{ 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 }, { 0x274C, 0x274C },
		{ 0x274E, 0x274E }, { 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
		{ 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 },
		{ 0x2B55, 0x2B55 },
	};
	size_t i;

	if (c >= 0x1F000 && c <= 0x1FAFF)
		return 1;
	for (i = 0; i < sizeof bmp / sizeof bmp[0]; i++)
		if (c >= bmp[i][0] && c <= bmp[i][1])
			return 1;
	return 0;
}

/* Chooses the face for codepoint i. The run's face is kept for sticky
 * codepoints, and for any it has that does not start another script, so
 * spaces and digits inside an Arabic name stay in the Arabic run. Not in a
 * colour emoji run: that font's space and digits are emoji-wide. */
static int pick_face(struct text *t, int role, const struct line *ln, int i,
		     int prev, const char *run_script)
{
	uint32_t c = ln->cp[i];
	const char *sc = script_of(c);
	int emoji = (i + 1 < ln->n && ln->cp[i + 1] == 0xFE0F) || is_emoji_presentation(c);

	if (prev >= 0 && (is_sticky(c) || ln->cp[i - 1] == 0x200D))
		return prev;
	if (prev >= 0 && !emoji && script_fits(sc, run_script)
	    && (sc || t->chain[prev].fixed != 1)
	    && face_provides(t, role, prev, c))
		return prev;
	return face_search(t, role, c, emoji);
}

static int line_alloc(struct line *ln, const char *utf8)
{
	size_t len = strlen(utf8), n = 0, i;
	uint32_t c;

	for (i = 0; i < len; n++)
		i += (size_t)decode_one((const unsigned char *)utf8 + i, &c);
	ln->utf8 = utf8;
	ln->cp = malloc((n + 1) * sizeof *ln->cp);
	ln->off = malloc((n + 1) * sizeof *ln->off);
	ln->face = malloc((n + 1) * sizeof *ln->face);
	ln->runs = malloc((n + 1) * sizeof *ln->runs);
	if (!ln->cp || !ln->off || !ln->face || !ln->runs)
		return HK_ENOMEM;
	ln->n = 0;
	for (i = 0; i < len; ln->n++) {
		ln->off[ln->n] = (int)i;
		i += (size_t)decode_one((const unsigned char *)utf8 + i, &ln->cp[ln->n]);
	}
	ln->off[ln->n] = (int)len;
	return 0;
}

static void line_free(struct line *ln)
{
	free(ln->cp);
	free(ln->off);
	free(ln->face);
	free(ln->runs);
}

/* Bidi embedding levels of the whole string as one paragraph, base direction
 * from its first strong character. All 0 if fribidi fails. */
static int bidi_levels(const struct line *ln, FriBidiLevel *levels)
{
	FriBidiCharType *types = malloc((size_t)ln->n * sizeof *types);
	FriBidiBracketType *br = malloc((size_t)ln->n * sizeof *br);
	FriBidiParType base = FRIBIDI_PAR_ON;
	int rc = 0;

	if (!types || !br) {
		rc = HK_ENOMEM;
		goto out_free;
	}
	fribidi_get_bidi_types(ln->cp, ln->n, types);
	fribidi_get_bracket_types(ln->cp, ln->n, types, br);
	if (!fribidi_get_par_embedding_levels_ex(types, br, ln->n, &base, levels))
		memset(levels, 0, (size_t)ln->n * sizeof *levels);
out_free:
	free(br);
	free(types);
	return rc;
}

/* Splits the string into runs of one face, one level and one script. */
static void segment(struct text *t, int role, struct line *ln, const FriBidiLevel *lv)
{
	struct run *r = NULL;
	int i, f;
	const char *sc;

	ln->n_runs = 0;
	for (i = 0; i < ln->n; i++) {
		f = pick_face(t, role, ln, i, r ? r->face : -1, r ? r->script : NULL);
		sc = script_of(ln->cp[i]);
		if (r && f == r->face && lv[i] == r->level
		    && (script_fits(sc, r->script) || is_sticky(ln->cp[i]))) {
			r->count++;
			if (!r->script)
				r->script = sc;
			continue;
		}
		r = &ln->runs[ln->n_runs++];
		r->first = i;
		r->count = 1;
		r->face = f;
		r->level = lv[i];
		r->script = sc;
	}
}

static void reverse_runs(struct run *r, int n)
{
	struct run tmp;
	int i;

	for (i = 0; i < n / 2; i++) {
		tmp = r[i];
		r[i] = r[n - 1 - i];
		r[n - 1 - i] = tmp;
	}
}

/* UAX #9 L2: from the highest level down to the lowest odd one, reverse
 * every maximal sequence of runs at that level or higher. */
static void reorder(struct line *ln)
{
	int hi = 0, lo_odd = 127, lev, i, j;

	for (i = 0; i < ln->n_runs; i++) {
		if (ln->runs[i].level > hi)
			hi = ln->runs[i].level;
		if ((ln->runs[i].level & 1) && ln->runs[i].level < lo_odd)
			lo_odd = ln->runs[i].level;
	}
	for (lev = hi; lev >= lo_odd; lev--) {
		for (i = 0; i < ln->n_runs; i = j) {
			if (ln->runs[i].level < lev) {
				j = i + 1;
				continue;
			}
			for (j = i; j < ln->n_runs && ln->runs[j].level >= lev; j++)
				;
			reverse_runs(ln->runs + i, j - i);
		}
	}
}

/* Copies the bytes of run r into buf (NUL-terminated). */
static void run_text(const struct line *ln, const struct run *r, char *buf)
{
	int a = ln->off[r->first], b = ln->off[r->first + r->count];

	memcpy(buf, ln->utf8 + a, (size_t)(b - a));
	buf[b - a] = '\0';
}

/* Sets the HarfBuzz direction and script of run r on its font. */
static TTF_Font *run_font(struct text *t, int role, const struct run *r)
{
	TTF_Font *f = face_get(t, role, r->face);

	if (!f)
		return NULL;
	TTF_SetFontDirection(f, (r->level & 1) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(f, r->script ? r->script : "Zyyy");
	return f;
}

/* A fixed-strike run's width once scaled to the line height. */
static int scaled_width(int w, int h, int line_h)
{
	if (h <= 0)
		return w;
	return (int)(((int64_t)w * line_h + h / 2) / h);
}

/* Measures every run and the line. buf holds any run's bytes. */
static void measure_runs(struct text *t, int role, struct line *ln, char *buf)
{
	int i, line_h = text_line_height(t, role);
	struct run *r;
	TTF_Font *f;

	ln->width = 0;
	for (i = 0; i < ln->n_runs; i++) {
		r = &ln->runs[i];
		r->w = r->h = 0;
		f = run_font(t, role, r);
		run_text(ln, r, buf);
		if (!f || TTF_SizeUTF8(f, buf, &r->w, &r->h) != 0)
			continue;
		if (t->chain[r->face].fixed == 1) {
			r->w = scaled_width(r->w, r->h, line_h);
			r->h = line_h;
		}
		ln->width += r->w;
	}
}

/* Lays utf8 out as measured runs in visual order. buf: strlen + 1 bytes. */
static int line_build(struct text *t, int role, const char *utf8,
		      struct line *ln, char *buf)
{
	FriBidiLevel *levels;
	int rc;

	memset(ln, 0, sizeof *ln);
	rc = line_alloc(ln, utf8);
	if (rc)
		return rc;
	levels = calloc((size_t)ln->n + 1, sizeof *levels);
	if (!levels)
		return HK_ENOMEM;
	rc = bidi_levels(ln, levels);
	if (rc == 0) {
		segment(t, role, ln, levels);
		reorder(ln);
		measure_runs(t, role, ln, buf);
	}
	free(levels);
	return rc;
}

/* ---- composing an image ---------------------------------------------- */

static SDL_Surface *argb_surface(int w, int h)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, h > 0 ? h : 1,
							32, SDL_PIXELFORMAT_ARGB8888);

	if (s)
		SDL_FillRect(s, NULL, 0);
	return s;
}

/* Renders run r on its own, as ARGB8888, at its font's size. */
static SDL_Surface *run_surface(struct text *t, int role, const struct line *ln,
				const struct run *r, SDL_Color c, char *buf)
{
	TTF_Font *f = run_font(t, role, r);
	SDL_Surface *s, *conv;

	if (!f)
		return NULL;
	run_text(ln, r, buf);
	s = TTF_RenderUTF8_Blended(f, buf, c);
	if (!s || s->format->format == SDL_PIXELFORMAT_ARGB8888)
		return s;
	conv = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(s);
	return conv;
}

/* Area-averages src into the rectangle d of dst (shrinking only), with
 * alpha-weighted colour so edges do not darken. */
static void shrink_into(SDL_Surface *src, SDL_Surface *dst, SDL_Rect d)
{
	int x, y, sx, sy, x0, x1, y0, y1;
	uint64_t a, rr, g, b, n;
	uint32_t p, *row;

	for (y = 0; y < d.h; y++) {
		y0 = y * src->h / d.h;
		y1 = SDL_max(y0 + 1, (y + 1) * src->h / d.h);
		for (x = 0; x < d.w; x++) {
			x0 = x * src->w / d.w;
			x1 = SDL_max(x0 + 1, (x + 1) * src->w / d.w);
			a = rr = g = b = n = 0;
			for (sy = y0; sy < y1; sy++) {
				row = (uint32_t *)((uint8_t *)src->pixels + sy * src->pitch);
				for (sx = x0; sx < x1; sx++, n++) {
					p = row[sx];
					a += p >> 24;
					rr += ((p >> 16) & 0xFF) * (p >> 24);
					g += ((p >> 8) & 0xFF) * (p >> 24);
					b += (p & 0xFF) * (p >> 24);
				}
			}
			row = (uint32_t *)((uint8_t *)dst->pixels + (d.y + y) * dst->pitch);
			p = 0;
			if (a)
				p = (uint32_t)((a / n) << 24 | (rr / a) << 16
					       | (g / a) << 8 | (b / a));
			row[d.x + x] = p;
		}
	}
}

/* Scales a fixed-strike run to the rectangle d of dst. */
static void scale_into(SDL_Surface *src, SDL_Surface *dst, SDL_Rect d)
{
	if (d.w <= 0 || d.h <= 0)
		return;
	if (d.h > src->h) {
		SDL_SoftStretchLinear(src, NULL, dst, &d);
		return;
	}
	SDL_LockSurface(src);
	SDL_LockSurface(dst);
	shrink_into(src, dst, d);
	SDL_UnlockSurface(dst);
	SDL_UnlockSurface(src);
}

/* Where the top of run r's surface goes, relative to the top of the line:
 * baselines line up with the first font's. */
static int run_top(struct text *t, int role, const struct run *r)
{
	TTF_Font *first = face_get(t, role, 0), *f = face_get(t, role, r->face);

	if (t->chain[r->face].fixed == 1 || !first || !f)
		return 0;
	return TTF_FontAscent(first) - TTF_FontAscent(f);
}

/* Multiplies the colour of the pixels of s in d by tint, keeping their
 * alpha: how a colour picture follows a dimmed palette. */
static void tint_rect(SDL_Surface *s, SDL_Rect d, SDL_Color tint)
{
	SDL_Rect all = { 0, 0, s->w, s->h };
	uint32_t p, *row;
	int x, y;

	if ((tint.r & tint.g & tint.b) == 255 || !SDL_IntersectRect(&d, &all, &d))
		return;
	SDL_LockSurface(s);
	for (y = d.y; y < d.y + d.h; y++) {
		row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
		for (x = d.x; x < d.x + d.w; x++) {
			p = row[x];
			row[x] = (p & 0xFF000000u)
				| ((p >> 16 & 0xFF) * tint.r + 127) / 255 << 16
				| ((p >> 8 & 0xFF) * tint.g + 127) / 255 << 8
				| ((p & 0xFF) * tint.b + 127) / 255;
		}
	}
	SDL_UnlockSurface(s);
}

/* Puts the rendered runs side by side on one surface, colour pictures
 * multiplied by tint; *above is how far the surface reaches above the line. */
static SDL_Surface *compose(struct text *t, int role, const struct line *ln,
			    SDL_Surface **parts, SDL_Color tint, int *above)
{
	int i, x = 0, top = 0, bottom = text_line_height(t, role), rt;
	SDL_Surface *out;
	SDL_Rect d;

	for (i = 0; i < ln->n_runs; i++) {
		if (!parts[i] || t->chain[ln->runs[i].face].fixed == 1)
			continue;
		rt = run_top(t, role, &ln->runs[i]);
		top = SDL_min(top, rt);
		bottom = SDL_max(bottom, rt + parts[i]->h);
	}
	out = argb_surface(ln->width, bottom - top);
	if (!out)
		return NULL;
	for (i = 0; i < ln->n_runs; x += ln->runs[i].w, i++) {
		if (!parts[i])
			continue;
		d = (SDL_Rect){ x, run_top(t, role, &ln->runs[i]) - top,
				ln->runs[i].w, ln->runs[i].h };
		if (t->chain[ln->runs[i].face].fixed == 1) {
			scale_into(parts[i], out, d);
			tint_rect(out, d, tint);
			continue;
		}
		SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
		d.h = parts[i]->h;
		SDL_BlitSurface(parts[i], NULL, out, &d);
	}
	*above = -top;
	return out;
}

/* Renders the whole line to one surface. */
static SDL_Surface *line_surface(struct text *t, int role, const struct line *ln,
				 SDL_Color c, SDL_Color pictures, char *buf, int *above)
{
	SDL_Surface **parts = calloc((size_t)ln->n_runs + 1, sizeof *parts);
	SDL_Surface *out = NULL;
	int i;

	if (!parts)
		return NULL;
	for (i = 0; i < ln->n_runs; i++)
		if (ln->runs[i].w > 0)
			parts[i] = run_surface(t, role, ln, &ln->runs[i], c, buf);
	out = compose(t, role, ln, parts, pictures, above);
	for (i = 0; i < ln->n_runs; i++)
		SDL_FreeSurface(parts[i]);
	free(parts);
	return out;
}

/* ---- the cache ------------------------------------------------------- */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int lru_init(struct lru *c, int cap, size_t max_bytes)
{
	c->slot = calloc((size_t)cap, sizeof *c->slot);
	c->cap = cap;
	c->bytes = 0;
	c->max_bytes = max_bytes;
	return c->slot ? 0 : HK_ENOMEM;
}

static void slot_clear(struct lru *c, struct cached *e)
{
	if (e->img.tex)
		SDL_DestroyTexture(e->img.tex);
	c->bytes -= (size_t)e->img.w * (size_t)e->img.h * 4;
	free(e->s);
	memset(e, 0, sizeof *e);
}

static void lru_flush(struct lru *c)
{
	int i;

	for (i = 0; c->slot && i < c->cap; i++)
		if (c->slot[i].used)
			slot_clear(c, &c->slot[i]);
}

static struct cached *lru_find(struct lru *c, const char *s, uint32_t h,
			       int role, uint64_t colours)
{
	struct cached *e;
	int i;

	for (i = 0; i < c->cap; i++) {
		e = &c->slot[i];
		if (e->used && e->hash == h && e->role == role && e->colours == colours
		    && strcmp(e->s, s) == 0)
			return e;
	}
	return NULL;
}

/* An empty slot for an entry of `bytes`, evicting the least recently used
 * entries until the count and the byte budget allow it. */
static struct cached *lru_take(struct lru *c, size_t bytes)
{
	struct cached *free_slot, *oldest;
	int i;

	for (;;) {
		free_slot = oldest = NULL;
		for (i = 0; i < c->cap; i++) {
			if (!c->slot[i].used)
				free_slot = free_slot ? free_slot : &c->slot[i];
			else if (!oldest || c->slot[i].used < oldest->used)
				oldest = &c->slot[i];
		}
		if (free_slot && (c->bytes + bytes <= c->max_bytes || !oldest))
			return free_slot;
		slot_clear(c, oldest);
	}
}

/* ---- public ---------------------------------------------------------- */

int text_open(SDL_Renderer *r, const char *const *chain, int n,
	      struct text **out, char *err, size_t errlen)
{
	struct text *t;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof *t);
	if (!t)
		return HK_ENOMEM;
	t->r = r;
	rc = chain_init(t, chain, n, err, errlen);
	if (rc)
		goto err_close;
	rc = HK_ENOMEM;
	t->faces = calloc((size_t)(LAYOUT_FONT_COUNT * t->n_chain), sizeof *t->faces);
	if (!t->faces)
		goto err_close;
	if (lru_init(&t->widths, WIDTH_CACHE_CAP, SIZE_MAX)
	    || lru_init(&t->images, IMAGE_CACHE_CAP, IMAGE_CACHE_BYTES))
		goto err_close;
	*out = t;
	return 0;
err_close:
	text_close(t);
	return rc;
}

void text_attach(struct text *t, SDL_Renderer *r)
{
	t->r = r;
}

void text_close(struct text *t)
{
	int i;

	if (!t)
		return;
	faces_close(t);
	lru_flush(&t->widths);
	lru_flush(&t->images);
	free(t->widths.slot);
	free(t->images.slot);
	free(t->faces);
	for (i = 0; i < t->n_chain; i++)
		entry_free(&t->chain[i]);
	free(t->chain);
	free(t);
}

int text_set_sizes(struct text *t, const int px[LAYOUT_FONT_COUNT],
		   char *err, size_t errlen)
{
	int role;

	faces_close(t);
	lru_flush(&t->widths);
	lru_flush(&t->images);
	for (role = 0; role < LAYOUT_FONT_COUNT; role++)
		t->px[role] = px[role] > 0 ? px[role] : 1;
	for (role = 0; role < LAYOUT_FONT_COUNT; role++) {
		if (!face_get(t, role, 0)) {
			set_err(err, errlen, "font '%s' cannot be opened",
				t->chain[0].path[role_is_bold(role)]);
			return HK_EINVAL;
		}
	}
	return 0;
}

void text_set_image_budget(struct text *t, size_t bytes)
{
	t->images.max_bytes = bytes;
	lru_flush(&t->images);
}

int text_line_height(struct text *t, enum layout_font f)
{
	TTF_Font *first = face_get(t, (int)f, 0);

	return first ? TTF_FontHeight(first) : t->px[f];
}

int text_width(struct text *t, enum layout_font f, const char *utf8)
{
	uint32_t h = hash_str(utf8);
	struct cached *e;
	struct line ln;
	char *buf;
	int w = (int)strlen(utf8) * t->px[f] / 2;  /* the estimate if all fails */

	if (!*utf8)
		return 0;
	e = lru_find(&t->widths, utf8, h, (int)f, 0);
	if (e) {
		e->used = ++t->tick;
		return e->w;
	}
	memset(&ln, 0, sizeof ln);
	buf = malloc(strlen(utf8) + 1);
	if (buf && line_build(t, (int)f, utf8, &ln, buf) == 0)
		w = ln.width;
	line_free(&ln);
	free(buf);
	e = lru_take(&t->widths, 0);
	e->s = strdup(utf8);
	if (e->s) {
		e->hash = h;
		e->role = (int)f;
		e->w = w;
		e->used = ++t->tick;
	}
	return w;
}

static uint32_t rgba_of(SDL_Color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

/* The cache key of an image's colours: the tint is baked into the pixels,
 * so an image made for the day is never reused at night, and no texture
 * carries a colour mod that a later draw would have to undo. */
static uint64_t colours_of(SDL_Color c, SDL_Color pictures)
{
	pictures.a = 255;
	return (uint64_t)rgba_of(c) << 32 | rgba_of(pictures);
}

/* Makes the texture of utf8 (not cached yet). */
static int image_make(struct text *t, int role, const char *utf8, SDL_Color c,
		      SDL_Color pictures, struct text_image *img)
{
	SDL_Surface *s = NULL;
	struct line ln;
	char *buf = malloc(strlen(utf8) + 1);
	int rc = HK_ENOMEM;

	memset(&ln, 0, sizeof ln);
	if (!buf)
		goto out_free;
	rc = line_build(t, role, utf8, &ln, buf);
	if (rc)
		goto out_free;
	rc = HK_EIO;
	s = line_surface(t, role, &ln, c, pictures, buf, &img->above);
	if (!s)
		goto out_free;
	img->tex = SDL_CreateTextureFromSurface(t->r, s);
	if (!img->tex)
		goto out_free;
	SDL_SetTextureBlendMode(img->tex, SDL_BLENDMODE_BLEND);
	img->w = s->w;
	img->h = s->h;
	t->renders++;
	rc = 0;
out_free:
	SDL_FreeSurface(s);
	line_free(&ln);
	free(buf);
	return rc;
}

int text_render(struct text *t, enum layout_font f, const char *utf8,
		SDL_Color c, SDL_Color pictures, struct text_image *out)
{
	uint32_t h = hash_str(utf8);
	struct text_image img = { 0 };
	struct cached *e;
	int rc;

	memset(out, 0, sizeof *out);
	if (!*utf8)
		return 0;
	e = lru_find(&t->images, utf8, h, (int)f, colours_of(c, pictures));
	if (e) {
		e->used = ++t->tick;
		t->hits++;
		*out = e->img;
		return 0;
	}
	rc = image_make(t, (int)f, utf8, c, pictures, &img);
	if (rc)
		return rc;
	e = lru_take(&t->images, (size_t)img.w * (size_t)img.h * 4);
	e->s = strdup(utf8);
	if (!e->s) {
		SDL_DestroyTexture(img.tex);
		return HK_ENOMEM;
	}
	e->hash = h;
	e->role = (int)f;
	e->colours = colours_of(c, pictures);
	e->img = img;
	e->used = ++t->tick;
	t->images.bytes += (size_t)img.w * (size_t)img.h * 4;
	*out = img;
	return 0;
}

/* Format characters: no font has to draw them. */
static int is_invisible(uint32_t c)
{
	return c == 0x200C || c == 0x200D || (c >= 0x200E && c <= 0x200F)
	       || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
	       || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0000 && c <= 0xE01EF);
}

int text_missing(struct text *t, enum layout_font f, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int missing = 0, i, found;
	uint32_t c;

	while (*p) {
		p += decode_one(p, &c);
		if (is_invisible(c))
			continue;
		for (found = 0, i = 0; i < t->n_chain && !found; i++)
			found = face_provides(t, (int)f, i, c);
		missing += !found;
	}
	return missing;
}

void text_stats(const struct text *t, long *renders, long *hits)
{
	*renders = t->renders;
	*hits = t->hits;
}
