/* test_input.c - opening inputs (input.h): a pipe is peeked at and then read
 * whole, head first; copied into a regular file for a mapping reader,
 * bounded; devices refused.  Pipes are made here with pipe(2), filled
 * before they are read (the contents fit the kernel's pipe buffer), and
 * named by /proc/self/fd/N as a user's /dev/stdin would be. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/input.h"

/* A pipe holding text (written and closed): its name. */
static const char *pipe_of(const char *text, size_t n, char *name, size_t sz)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], text, n), (ssize_t)n);
	close(p[1]);
	snprintf(name, sz, "/proc/self/fd/%d", p[0]);
	return name;
}

static size_t read_all(struct wl_input *in, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t k;

	while ((k = wl_input_read(in, buf + got, cap - got)) > 0)
		got += (size_t)k;
	cr_assert_geq(k, 0);
	return got;
}

Test(input, pipe_peeked_then_read_whole_once)
{
	const char *text = "time,power [W]\n0,10\n1,20\n";
	char name[64], head[8], all[256];
	struct wl_error err = { { 0 } };
	struct wl_input *in;

	pipe_of(text, strlen(text), name, sizeof(name));
	cr_assert_eq(wl_input_peek(name, head, 4, &err), 4, "%s", err.msg);
	cr_assert_eq(memcmp(head, "time", 4), 0);
	cr_assert_eq(wl_input_peek(name, head, 8, &err), 8); /* more of the same head */
	cr_assert_eq(memcmp(head, "time,pow", 8), 0);
	in = wl_input_open(name, &err);
	cr_assert(in, "%s", err.msg);
	cr_assert_eq(wl_input_size(in), -1);
	cr_assert_eq(read_all(in, all, sizeof(all)), strlen(text));
	cr_assert_eq(memcmp(all, text, strlen(text)), 0);
	wl_input_close(in);
	cr_assert_null(wl_input_open(name, &err));
	cr_assert(strstr(err.msg, "a pipe is read once") && strstr(err.msg, name), "%s", err.msg);
}

Test(input, pipe_copied_for_a_mapping_reader)
{
	char name[64], head[4], buf[64];
	struct wl_error err = { { 0 } };
	struct stat st;
	int fd;

	pipe_of("WLOG\r\f\v\n0123456789", 18, name, sizeof(name));
	cr_assert_eq(wl_input_peek(name, head, 4, &err), 4);
	fd = wl_input_file(name, &err);
	cr_assert_geq(fd, 0, "%s", err.msg);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_size, 18);
	cr_assert_eq(pread(fd, buf, sizeof(buf), 0), 18);
	cr_assert_eq(memcmp(buf, "WLOG\r\f\v\n0123456789", 18), 0);
	close(fd);
	fd = wl_input_file(name, &err); /* the same copy again */
	cr_assert_geq(fd, 0, "%s", err.msg);
	close(fd);
}

Test(input, bounded)
{
	static char zeros[4096], big[4096];
	char name[64];
	struct wl_error err = { { 0 } };

	cr_assert_eq(wl_input_file("/dev/zero", &err), -1);
	cr_assert_str_eq(err.msg, "cannot read '/dev/zero': a device or terminal, not a file or "
				  "a pipe");
	pipe_of(zeros, sizeof(zeros), name, sizeof(name));
	cr_assert_eq(wl_input_file(name, &err), -1);
	cr_assert(strstr(err.msg, "binary data"), "%s", err.msg);
	memset(big, 'x', sizeof(big));
	pipe_of(big, sizeof(big), name, sizeof(name));
	setenv("WATTLOG_INPUT_MAX", "1000", 1);
	cr_assert_eq(wl_input_file(name, &err), -1);
	unsetenv("WATTLOG_INPUT_MAX");
	cr_assert(strstr(err.msg, "offset 1000: more than 1000 bytes from a pipe"), "%s", err.msg);
}

Test(input, regular_file_in_place)
{
	char path[] = "/tmp/wl-test-input.XXXXXX", buf[16];
	struct wl_error err = { { 0 } };
	struct wl_input *in;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "abcdef", 6), 6);
	close(fd);
	cr_assert_eq(wl_input_peek(path, buf, 3, &err), 3);
	in = wl_input_open(path, &err);
	cr_assert(in, "%s", err.msg);
	cr_assert_eq(wl_input_size(in), 6);
	cr_assert_eq(read_all(in, buf, sizeof(buf)), 6); /* from the start again */
	cr_assert_eq(memcmp(buf, "abcdef", 6), 0);
	wl_input_close(in);
	unlink(path);
}
