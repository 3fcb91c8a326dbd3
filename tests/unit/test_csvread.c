/* test_csvread.c - the libcsv row reader (src/analyze/ingest/csv.c): line numbers,
 * records across its 1 MiB read chunks, lines longer than a chunk, binary
 * data and quoting.  Expected line numbers are counted by construction. */
#include <stdlib.h>
#include <unistd.h>

#include "ingest_testutil.h"
#include "wattlog/csvread.h"

struct seen {
	size_t rows, last_line, nf, maxlen;
	size_t lines[8];
	char first[8][32];
};

static int on_row(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct seen *s = user;
	size_t i;

	(void)err;
	if (s->rows < 8) {
		s->lines[s->rows] = r->line;
		snprintf(s->first[s->rows], sizeof(s->first[0]), "%s", r->nf ? r->f[0] : "");
	}
	for (i = 0; i < r->nf; i++)
		if (strlen(r->f[i]) > s->maxlen)
			s->maxlen = strlen(r->f[i]);
	s->rows++;
	s->last_line = r->line;
	s->nf = r->nf;
	return 0;
}

static void write_tmp(char *path, size_t sz, const char *text, size_t len)
{
	int fd;

	snprintf(path, sz, "/tmp/wl-csvread-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

Test(csvread, lines_quotes_blank_lines_and_crlf)
{
	static const char text[] = "a,b\r\n\r\n 1 , x \r\n\"multi\nline\",2\n\n3,\"q\"\"\"";
	struct wl_error err = { { 0 } };
	struct seen s = { 0 };
	char p[64];

	write_tmp(p, sizeof(p), text, sizeof(text) - 1);
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.rows, 4);
	cr_assert_eq(s.lines[0], 1);
	cr_assert_eq(s.lines[1], 3);
	cr_assert_str_eq(s.first[1], "1", "unquoted fields are trimmed");
	cr_assert_eq(s.lines[2], 5, "a record ends on the line of its last byte");
	cr_assert_str_eq(s.first[2], "multi\nline");
	cr_assert_eq(s.lines[3], 7, "the last line has no newline");
	unlink(p);
}

/* 3 MiB of rows, then a row with one field of 1 000 000 bytes (across a
 * 1 MiB read chunk, under the line limit), then a NUL byte: the error
 * names the NUL's line, counted here. */
Test(csvread, long_lines_and_nul_past_the_first_chunk)
{
	size_t rows = 300000, big = 1000000, n = 0, i;
	char *text = malloc(rows * 16 + big + 64), p[64];
	struct wl_error err = { { 0 } };
	struct seen s = { 0 };

	cr_assert(text);
	for (i = 0; i < rows; i++)
		n += (size_t)sprintf(text + n, "%zu,%zu\n", i, i * 7);
	text[n++] = 'x';
	text[n++] = ',';
	memset(text + n, 'y', big);
	n += big;
	text[n++] = '\n';
	write_tmp(p, sizeof(p), text, n);
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.rows, rows + 1);
	cr_assert_eq(s.last_line, rows + 1);
	cr_assert_eq(s.maxlen, big);
	cr_assert_eq(s.nf, 2);
	unlink(p);
	memcpy(text + n, "1,2\n3,\0\n", 8);
	n += 8;
	write_tmp(p, sizeof(p), text, n);
	memset(&s, 0, sizeof(s));
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &s, &err), -1);
	cr_assert(strstr(err.msg, "NUL"), "%s", err.msg);
	snprintf(text, 64, "line %zu:", rows + 3);
	cr_assert(strstr(err.msg, text), "'%s' lacks '%s'", err.msg, text);
	cr_assert_eq(s.rows, rows + 2, "the rows before the NUL were read");
	unlink(p);
	free(text);
}

Test(csvread, misplaced_and_unterminated_quotes)
{
	struct wl_error err = { { 0 } };
	struct seen s = { 0 };
	char p[64];

	write_tmp(p, sizeof(p), "a,b\n1,2\n3,x\"y\n", 15);
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &s, &err), -1);
	cr_assert(strstr(err.msg, "line 3: misplaced quote"), "%s", err.msg);
	unlink(p);
	write_tmp(p, sizeof(p), "a,b\n1,\"2\n3\n", 11);
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &s, &err), -1);
	cr_assert(strstr(err.msg, "line 3: unterminated quoted field"), "%s", err.msg);
	unlink(p);
}

Test(csvread, comment_prefix)
{
	struct wl_csv_opts o = { .skip_prefix = "#" };
	struct wl_error err = { { 0 } };
	struct seen s = { 0 };
	char p[64];

	write_tmp(p, sizeof(p), "# c1\na,b\n#c2,x\n1,2\n", 19);
	cr_assert_eq(wl_csv_read(p, &o, on_row, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.rows, 2);
	cr_assert_eq(s.lines[0], 2);
	cr_assert_eq(s.lines[1], 4);
	unlink(p);
}

static int fail_at(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	size_t *n = user;

	if (++*n == 150000)
		return wl_error_set(err, "stop at line %zu", r->line);
	return 0;
}

/* A large file (read by a second thread): the callback's error stops the
 * read; a quote error past it is never reached, one before is reported
 * with its line after the rows before it. */
Test(csvread, errors_in_a_large_file)
{
	size_t rows = 400000, n = 0, i, calls = 0;
	char *text = malloc(rows * 16 + 64), p[64];
	struct wl_error err = { { 0 } };

	cr_assert(text);
	for (i = 0; i < rows; i++)
		n += (size_t)sprintf(text + n, i == 300000 ? "%zu,x\"%zu\n" : "%zu,%zu\n", i, i);
	write_tmp(p, sizeof(p), text, n);
	cr_assert_eq(wl_csv_read(p, NULL, fail_at, &calls, &err), -1);
	cr_assert_str_eq(err.msg, "stop at line 150000");
	cr_assert_eq(calls, 150000);
	calls = 0;
	cr_assert_eq(wl_csv_read(p, NULL, on_row, &(struct seen){ 0 }, &err), -1);
	cr_assert(strstr(err.msg, "line 300001: misplaced quote"), "%s", err.msg);
	unlink(p);
	free(text);
}

/* opts.numbers: each field also read as a number with its unit, in the
 * reading thread; the values by hand. */
static int on_nums(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	int *checked = user;

	(void)err;
	if (r->line == 1)
		return 0;
	cr_assert_not_null(r->num);
	cr_assert_eq(r->nf, 4);
	cr_expect(r->num[0].ok);
	cr_expect_eq(r->num[0].v, 77.56);
	cr_expect_eq(r->num[0].ulen, 1);
	cr_expect_eq(strncmp(r->f[0] + r->num[0].uoff, "W", 1), 0);
	cr_expect(!r->num[1].ok, "'abc' is no number");
	cr_expect(r->num[2].ok);
	cr_expect_eq(r->num[2].v, 12.0);
	cr_expect_eq(r->num[2].ulen, 0);
	cr_expect(r->num[3].ok);
	cr_expect_eq(r->num[3].v, 1000.0);
	cr_expect_eq(strncmp(r->f[3] + r->num[3].uoff, "MHz", 3), 0);
	++*checked;
	return 0;
}

Test(csvread, numbers_in_the_reader)
{
	struct wl_csv_opts o = { .numbers = 1 };
	struct wl_error err = { { 0 } };
	int checked = 0;
	char p[64];

	write_tmp(p, sizeof(p), "a,b,c,d\n77.56 W,abc,12,1e3 MHz\n", 31);
	cr_assert_eq(wl_csv_read(p, &o, on_nums, &checked, &err), 0, "%s", err.msg);
	cr_assert_eq(checked, 1);
	unlink(p);
}
