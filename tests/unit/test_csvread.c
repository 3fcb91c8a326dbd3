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
	calls = 0; /* the same with numbers scanned (and kept) in the readers */
	cr_assert_eq(wl_csv_read(p, &(struct wl_csv_opts){ .numbers = 1 }, fail_at, &calls, &err),
		     -1);
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

/* A field whose bytes repeat the same column's field before takes that
 * result (csv.c): each row's values here by hand, repeats, a prefix, a
 * longer field and a unit added, so a result kept past a change shows. */
static int on_repeats(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	static const double v0[] = { 77.56, 77.56, 77.5, 77.57, 77.56 };
	static const double v1[] = { 5, 5, 50, 5, 5 };
	static const unsigned u1[] = { 0, 0, 0, 3, 0 };
	int *checked = user;
	size_t i = r->line - 2;

	(void)err;
	if (r->line == 1)
		return 0;
	cr_assert_lt(i, 5);
	cr_expect(r->num[0].ok && r->num[1].ok, "line %zu", r->line);
	cr_expect_eq(r->num[0].v, v0[i], "line %zu", r->line);
	cr_expect_eq(r->num[0].ulen, 1, "line %zu", r->line);
	cr_expect_eq(r->num[1].v, v1[i], "line %zu", r->line);
	cr_expect_eq(r->num[1].ulen, u1[i], "line %zu", r->line);
	cr_expect_eq(r->num[2].ok, i != 1 && i != 2, "line %zu: '%s'", r->line, r->f[2]);
	++*checked;
	return 0;
}

Test(csvread, numbers_repeated_fields)
{
	static const char text[] = "a,b,c\n77.56 W,5,1\n77.56 W,5,abc\n77.5 W,50,abc\n"
				   "77.57 W,5 MHz,1\n77.56 W,5,1\n";
	struct wl_csv_opts o = { .numbers = 1 };
	struct wl_error err = { { 0 } };
	int checked = 0;
	char p[64];

	write_tmp(p, sizeof(p), text, sizeof(text) - 1);
	cr_assert_eq(wl_csv_read(p, &o, on_repeats, &checked, &err), 0, "%s", err.msg);
	cr_assert_eq(checked, 5);
	unlink(p);
}

/* Fields of every length from 0 to 40 bytes, each row unlike the one
 * before in one byte only, at each position in turn, then back: a field
 * taken for its column's field before (csv.c compares the bytes of fields
 * up to 31 bytes) or copied short shows as a wrong value or string.
 * Column a: LA digits "1000..." with digit j made '2' (an integer, exact
 * here); column b: "5 WW..." of LB bytes with byte j made ';' (then no
 * number); column c: empty. */
struct onebyte {
	size_t rows, bad;
	char (*a)[48], (*b)[48];
	double *va;
	int *okb;
	char first[128];
};

static int on_onebyte(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct onebyte *o = user;
	size_t i = o->rows++;

	(void)err;
	if (r->nf != 3 || strcmp(r->f[0], o->a[i]) || strcmp(r->f[1], o->b[i]) || r->f[2][0] ||
	    !r->num[0].ok || r->num[0].v != o->va[i] || r->num[0].ulen ||
	    r->num[1].ok != o->okb[i] || (o->okb[i] && (r->num[1].v != 5 || r->num[1].uoff != 2 ||
							 r->num[1].ulen != strlen(o->b[i]) - 2)) ||
	    r->num[2].ok) {
		if (!o->bad++)
			snprintf(o->first, sizeof(o->first), "line %zu: '%s','%s' (%g, ok %d)",
				 r->line, r->f[0], r->nf > 1 ? r->f[1] : "", r->num[0].v,
				 r->nf > 1 ? r->num[1].ok : -1);
	}
	return 0;
}

Test(csvread, numbers_one_byte_apart)
{
	struct wl_csv_opts o = { .numbers = 1 };
	struct wl_error err = { { 0 } };
	struct onebyte s = { 0 };
	size_t cap = 2000, n = 0, len = 0, l, j, k;
	char *text = malloc(cap * 100), p[64];

	s.a = malloc(cap * sizeof(*s.a));
	s.b = malloc(cap * sizeof(*s.b));
	s.va = malloc(cap * sizeof(*s.va));
	s.okb = malloc(cap * sizeof(*s.okb));
	cr_assert(text && s.a && s.b && s.va && s.okb);
	for (l = 1; l <= 40; l++) {
		size_t la = 1 + (l - 1) % 16, lb = l < 3 ? 3 : l;

		for (j = 0; j < l; j++) {
			for (k = 0; k < 2; k++, n++) { /* the row as it was, then one byte changed */
				double pow10 = 1;
				size_t t;

				memset(s.a[n], '0', la);
				s.a[n][0] = '1';
				s.a[n][la] = 0;
				memset(s.b[n], 'W', lb);
				memcpy(s.b[n], "5 ", 2);
				s.b[n][lb] = 0;
				s.okb[n] = 1;
				if (k) {
					s.a[n][j % la] = '2';
					s.b[n][j % lb] = ';';
					s.okb[n] = 0;
				}
				s.va[n] = 0;
				for (t = la; t-- > 0; pow10 *= 10)
					s.va[n] += (s.a[n][t] - '0') * pow10;
				len += (size_t)sprintf(text + len, "%s,%s,\n", s.a[n], s.b[n]);
			}
		}
	}
	cr_assert_lt(n, cap);
	write_tmp(p, sizeof(p), text, len);
	cr_assert_eq(wl_csv_read(p, &o, on_onebyte, &s, &err), 0, "%s", err.msg);
	cr_expect_eq(s.rows, n);
	cr_expect_eq(s.bad, 0, "%s", s.first);
	unlink(p);
	free(text);
	free(s.a);
	free(s.b);
	free(s.va);
	free(s.okb);
}

/* A file read in blocks (more than 4 MiB): each row is "i,7i" or a blank
 * or comment line, laid out here, so the line of row i is known; rows
 * arrive once each, in order, on their lines. */
struct order {
	size_t rows, bad;
	const size_t *line; /* line of row i (header: row 0) */
	char first[96];     /* the first bad row, for the message */
};

static int on_order(const struct wl_csv_row *r, void *user, struct wl_error *err)
{
	struct order *o = user;
	size_t i = o->rows++;
	char want[48];

	(void)err;
	if (!i)
		return 0;
	snprintf(want, sizeof(want), "%zu", i - 1);
	if (r->nf != 2 || strcmp(r->f[0], want) || r->line != o->line[i] ||
	    strtoull(r->f[1], NULL, 10) != 7 * (i - 1) || !r->num || !r->num[1].ok ||
	    r->num[1].v != (double)(7 * (i - 1))) {
		if (!o->bad++)
			snprintf(o->first, sizeof(o->first), "row %zu: '%s' on line %zu, want %zu",
				 i, r->nf ? r->f[0] : "", r->line, o->line[i]);
	}
	return 0;
}

/* rows data rows after a header; every 1000th row follows a blank line and
 * every 777th a comment; a quoted field holding a newline on row `quoted`
 * (0: none); no newline at the end.  Writes line[] and the file. */
static size_t order_file(char *text, size_t rows, size_t quoted, size_t *line)
{
	size_t n = 0, ln = 1, i;

	n += (size_t)sprintf(text + n, "a,b\n");
	line[0] = ln++;
	for (i = 0; i < rows; i++) {
		if (i % 1000 == 999) {
			n += (size_t)sprintf(text + n, "\n");
			ln++;
		}
		if (i % 777 == 776) {
			n += (size_t)sprintf(text + n, "# comment %zu\n", i);
			ln++;
		}
		if (i == quoted && quoted) {
			n += (size_t)sprintf(text + n, "%zu,\"%zu\n\"\n", i, 7 * i);
			ln++; /* the record ends on the line after */
		} else {
			n += (size_t)sprintf(text + n, i + 1 < rows ? "%zu,%zu\n" : "%zu,%zu", i, 7 * i);
		}
		line[i + 1] = ln++;
	}
	return n;
}

/* Row `row`'s line in text[0 .. n) made `pad` bytes longer by blanks
 * before its newline (unquoted fields are trimmed, so its fields stay);
 * the new length. */
static size_t pad_row(char *text, size_t n, size_t row, size_t pad)
{
	char key[32], *at, *nl;

	snprintf(key, sizeof(key), "\n%zu,", row);
	at = strstr(text, key);
	cr_assert_not_null(at);
	nl = strchr(at + 1, '\n');
	cr_assert_not_null(nl);
	memmove(nl + pad, nl, (size_t)(text + n - nl) + 1); /* and the NUL at text[n] */
	memset(nl, ' ', pad);
	return n + pad;
}

/* Writes text[0 .. n) to a file and reads it: every row once, in order,
 * on line[] (its message names the first row that is not). */
static void read_in_blocks(const char *text, size_t n, const size_t *line, size_t rows)
{
	struct wl_csv_opts o = { .skip_prefix = "#", .numbers = 1 };
	struct wl_error err = { { 0 } };
	struct order s = { 0 };
	char p[64];

	write_tmp(p, sizeof(p), text, n);
	s.line = line;
	cr_assert_eq(wl_csv_read(p, &o, on_order, &s, &err), 0, "%s", err.msg);
	cr_expect_eq(s.rows, rows + 1);
	cr_expect_eq(s.bad, 0, "%s", s.first);
	unlink(p);
}

Test(csvread, blocks_lines_and_order)
{
	size_t rows = 600000, *line = malloc((rows + 1) * sizeof(*line)), n, i;
	char *text = malloc(rows * 40 + 2000000);

	cr_assert(text && line);
	n = order_file(text, rows, 0, line);
	cr_assert_gt(n, 8u << 20, "large enough for blocks");
	read_in_blocks(text, n, line, rows);
	/* a quoted newline past the first blocks: read in order from its block */
	n = order_file(text, rows, 400000, line);
	read_in_blocks(text, n, line, rows);
	/* a line of 100 000 bytes (more than a block's slack) on row 300000 */
	n = order_file(text, rows, 0, line);
	n = pad_row(text, n, 300000, 100000);
	read_in_blocks(text, n, line, rows);
	/* runs of lines of 9 000 and 60 000 bytes, longer than a block reads
	 * past its end at first, shorter than its slack: blocks end inside them */
	n = order_file(text, rows, 0, line);
	for (i = 0; i < 100; i++)
		n = pad_row(text, n, 200000 + i, 9000);
	for (i = 0; i < 10; i++)
		n = pad_row(text, n, 350000 + i, 60000);
	read_in_blocks(text, n, line, rows);
	free(text);
	free(line);
}
