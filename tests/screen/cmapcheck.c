/*
 * cmapcheck.c - the board's own reading of a font's character map
 * (kiosk/board/cmap.c) against FreeType's, through SDL_ttf: for every font
 * of the default chain (and any FILE[#INDEX] given), every codepoint from
 * U+0000 to U+3FFFF must have the same answer to "has this character?".
 *
 *   cmapcheck [FILE[#INDEX]...]
 *
 * Prints one line per font ("ok FILE 1234 characters" or the first
 * codepoints that differ) and exits 1 if any font differs, 2 if a font the
 * chain names cannot be read by both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "board/cmap.h"
#include "board/text.h"

static int check(const char *spec)
{
	char path[4096];
	const char *hash = strrchr(spec, '#');
	long index = hash ? atol(hash + 1) : 0;
	struct cmap *c;
	TTF_Font *f;
	long n = 0, bad = 0;
	uint32_t cp;

	snprintf(path, sizeof path, "%.*s", hash ? (int)(hash - spec) : (int)strlen(spec), spec);
	f = TTF_OpenFontIndex(path, 16, index);
	if (!f) {
		printf("skip %s (FreeType cannot open it)\n", spec);
		return 0;
	}
	if (cmap_open(path, index, &c) != 0) {
		printf("not read %s (cmap.c refuses it: the text module asks FreeType)\n", spec);
		TTF_CloseFont(f);
		return 0;
	}
	for (cp = 0; cp <= 0x3FFFF; cp++) {
		int a = cmap_has(c, cp), b = TTF_GlyphIsProvided32(f, cp) != 0;

		n += b;
		if (a != b && bad++ < 5)
			printf("  U+%04X: cmap.c %d, FreeType %d\n", (unsigned)cp, a, b);
	}
	printf("%s %s %ld characters%s\n", bad ? "DIFFERS" : "ok", spec, n,
	       cmap_colour(c) ? " (colour)" : "");
	cmap_close(c);
	TTF_CloseFont(f);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (TTF_Init() != 0)
		return 2;
	if (argc > 1)
		for (i = 1; i < argc; i++)
			rc |= check(argv[i]);
	else
		for (i = 0; i < text_default_chain_len; i++)
			rc |= check(text_default_chain[i]);
	TTF_Quit();
	return rc;
}
