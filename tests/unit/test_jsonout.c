/* test_jsonout.c - JSON strings are valid UTF-8 whatever the bytes
 * (jsonout.h): the expected texts are written by hand from RFC 3629's table
 * of well-formed sequences, one \ufffd per byte that starts none. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/jsonout.h"

/* What wl_json_str (quote = 1) or wl_json_text writes for s. */
static char *out(const char *s, int quote)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	if (quote)
		wl_json_str(f, s);
	else
		wl_json_text(f, s);
	fclose(f);
	return buf;
}

static void check(const char *in, int quote, const char *want)
{
	char *got = out(in, quote);

	cr_assert_str_eq(got, want);
	free(got);
}

#define R "\\ufffd"

Test(jsonout, well_formed_sequences_are_copied)
{
	/* é (C3 A9), € (E2 82 AC), U+10FFFF (F4 8F BF BF), 𝄞 (F0 9D 84 9E),
	 * U+FFFF (EF BF BF), U+E000 (EE 80 80) after the surrogates */
	check("\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9d\x84\x9e\xef\xbf\xbf\xee\x80\x80", 1,
	      "\"\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf\xf0\x9d\x84\x9e\xef\xbf\xbf\xee\x80\x80\"");
}

Test(jsonout, each_invalid_byte_is_one_replacement)
{
	check("\xff", 1, "\"" R "\"");                            /* never in UTF-8 */
	check("\x80x", 1, "\"" R "x\"");                          /* lone continuation */
	check("\xc0\x80", 1, "\"" R R "\"");                      /* overlong NUL */
	check("\xc1\xbf", 1, "\"" R R "\"");                      /* overlong */
	check("\xe0\x80\xaf", 1, "\"" R R R "\"");                /* overlong 3-byte */
	check("\xed\xa0\x80", 1, "\"" R R R "\"");                /* surrogate U+D800 */
	check("\xf0\x80\x80\x80", 1, "\"" R R R R "\"");          /* overlong 4-byte */
	check("\xf4\x90\x80\x80", 1, "\"" R R R R "\"");          /* above U+10FFFF */
	check("\xf5\x80", 1, "\"" R R "\"");
	check("a\xe2\x82", 1, "\"a" R R "\"");                    /* cut off by the end */
	check("\xe2\x82 b", 1, "\"" R R " b\"");                  /* cut off by a space */
	check("\xc3\xa9\xc3", 1, "\"\xc3\xa9" R "\"");
}

Test(jsonout, literal_escapes)
{
	check("a\"b\\c\x01\x1f\x7f\n", 1, "\"a\\\"b\\\\c\\u0001\\u001f\\u007f\\u000a\"");
	check("", 1, "\"\"");
}

Test(jsonout, json_c_text_only_replaces_invalid_bytes)
{
	/* json-c escaped quotes and controls already: copied as they are */
	check("{ \"k\\u0001\": \"v\xff\\\"\xc3\xa9\" }", 0,
	      "{ \"k\\u0001\": \"v" R "\\\"\xc3\xa9\" }");
}

/* json-c gives NULL for a document it cannot render (more than 2 GiB: a
 * report of 10 000 metrics' correlation matrix): nothing written, -1 for
 * the caller's one-line refusal instead of a crash. */
Test(jsonout, text_null_is_refused)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	cr_assert_eq(wl_json_text(f, NULL), -1);
	cr_assert_eq(wl_json_text(f, "{}"), 0);
	fclose(f);
	cr_assert_str_eq(buf, "{}");
	free(buf);
}
