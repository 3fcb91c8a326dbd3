/*
 * csvfloor.c - the parse floor of `make bench` (issue 20): libcsv's own
 * cost on a CSV file.  read(2) in 1 MiB pieces handed to csv_parse, whose
 * callbacks count fields and records and parse each field as a decimal
 * number (sign, digits, '.', digits, a 19-digit mantissa scaled by a power
 * of ten: no rounding care, no exponent, stops at the first other byte).
 * Nothing is kept.  Prints "records fields sum" (the sum keeps the parse
 * from being optimised away).
 *
 *   csvfloor FILE
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct count {
	unsigned long long records, fields;
	double sum;
};

static double decimal(const unsigned char *s, size_t n)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
				      1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19 };
	const unsigned char *e = s + n;
	unsigned long long m = 0;
	int neg = 0, frac = 0, nd = 0;

	if (s < e && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	for (; s < e && (unsigned)(*s - '0') < 10 && nd < 19; s++, nd++)
		m = m * 10 + (unsigned)(*s - '0');
	if (s < e && *s == '.')
		for (s++; s < e && (unsigned)(*s - '0') < 10 && nd < 19; s++, nd++, frac++)
			m = m * 10 + (unsigned)(*s - '0');
	return (neg ? -(double)m : (double)m) / p10[frac];
}

static void on_field(void *s, size_t len, void *data)
{
	struct count *c = data;

	c->fields++;
	c->sum += decimal(s, len);
}

static void on_record(int term, void *data)
{
	(void)term;
	((struct count *)data)->records++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct csv_parser p;
	struct count c = { 0, 0, 0 };
	ssize_t n;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0 || csv_init(&p, 0)) {
		fprintf(stderr, "usage: csvfloor FILE (readable)\n");
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (csv_parse(&p, buf, (size_t)n, on_field, on_record, &c) != (size_t)n) {
			fprintf(stderr, "csvfloor: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_record, &c);
	csv_free(&p);
	close(fd);
	printf("%llu %llu %.17g\n", c.records, c.fields, c.sum);
	return n < 0;
}
