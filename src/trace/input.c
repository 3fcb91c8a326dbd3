/*
 * input.c - opening the analyzer's inputs (input.h).  A stream's state is
 * kept by name in a small table: its descriptor, the head peeked at, and
 * the temporary copy once one is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wattlog/input.h"
#include "wattlog/trace_format.h"

#define COPY_CHUNK (1u << 20)
#define MAX_STREAMS 64

struct stream {
	char *path;
	int fd;          /* the stream after the head; -1 once handed on */
	char *head;      /* bytes read from it by peeks */
	size_t nhead;
	int eof;         /* the head is all there is */
	int copy;        /* the temporary copy, -1 until made */
};

static struct stream streams[MAX_STREAMS];
static size_t nstreams;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

struct wl_input {
	int fd;
	long long size;    /* -1: a stream */
	char *head;        /* a stream's head, handed out first */
	size_t nhead, at;
};

static ssize_t read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Opens path (standard input for "-"): a descriptor of a regular file or
 * directory, or of a stream when *st says so; -1 with err. */
static int open_path(const char *path, struct stat *st, struct wl_error *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) :
				     fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return wl_error_errno(err, errno, "cannot open '%s'", path);
	if (fstat(fd, st)) {
		wl_error_errno(err, errno, "cannot read '%s'", path);
		close(fd);
		return -1;
	}
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		close(fd);
		return wl_error_set(err, "cannot read '%s': a device or terminal, not a file or "
				    "a pipe", path);
	}
	if (S_ISREG(st->st_mode) && lseek(fd, 0, SEEK_SET) < 0) { /* "-" < file */
		wl_error_errno(err, errno, "cannot read '%s'", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* Called with mu held.  The stream entry of path (made, the stream opened,
 * on first use), or NULL with *fd the descriptor of the regular file or
 * directory path names, or NULL and *fd -1 with err. */
static struct stream *stream_of(const char *path, int *fd, struct wl_error *err)
{
	struct stat st;
	struct stream *s;
	size_t i;

	memset(&st, 0, sizeof(st));
	*fd = -1;
	for (i = 0; i < nstreams; i++)
		if (!strcmp(streams[i].path, path))
			return &streams[i];
	*fd = open_path(path, &st, err);
	if (*fd < 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return NULL;
	s = &streams[nstreams];
	memset(s, 0, sizeof(*s));
	if (nstreams == MAX_STREAMS || !(s->path = strdup(path))) {
		close(*fd);
		*fd = wl_error_set(err, "cannot read '%s': too many pipes", path);
		return NULL;
	}
	s->fd = *fd;
	s->copy = -1;
	*fd = -1;
	nstreams++;
	return s;
}

static int read_once(const char *path, struct wl_error *err)
{
	return wl_error_set(err, "cannot read '%s' twice: a pipe is read once", path);
}

ssize_t wl_input_peek(const char *path, void *buf, size_t n, struct wl_error *err)
{
	struct stream *s;
	ssize_t k = -1;
	int fd;

	pthread_mutex_lock(&mu);
	s = stream_of(path, &fd, err);
	if (!s && fd >= 0) {
		k = read_full(fd, buf, n);
		if (k < 0)
			wl_error_errno(err, errno, "cannot read '%s'", path);
		close(fd);
	} else if (s && s->copy >= 0) {
		k = pread(s->copy, buf, n, 0);
		if (k < 0)
			wl_error_errno(err, errno, "cannot read '%s'", path);
	} else if (s && s->fd < 0) {
		read_once(path, err);
	} else if (s) {
		if (s->nhead < n && !s->eof) {
			char *h = realloc(s->head, n);

			if (!h || (k = read_full(s->fd, h + s->nhead, n - s->nhead)) < 0) {
				if (h)
					wl_error_errno(err, errno, "cannot read '%s'", path);
				else
					wl_error_set(err, "cannot read '%s': out of memory", path);
				s->head = h ? h : s->head;
				pthread_mutex_unlock(&mu);
				return -1;
			}
			s->head = h;
			s->eof = s->nhead + (size_t)k < n;
			s->nhead += (size_t)k;
		}
		k = (ssize_t)(s->nhead < n ? s->nhead : n);
		memcpy(buf, s->head, (size_t)k);
	}
	pthread_mutex_unlock(&mu);
	return k;
}

struct wl_input *wl_input_open(const char *path, struct wl_error *err)
{
	struct wl_input *in = calloc(1, sizeof(*in));
	struct stream *s;
	struct stat st;
	int fd;

	if (!in) {
		wl_error_set(err, "cannot read '%s': out of memory", path);
		return NULL;
	}
	pthread_mutex_lock(&mu);
	s = stream_of(path, &fd, err);
	if (s && s->copy >= 0) {
		fd = fcntl(s->copy, F_DUPFD_CLOEXEC, 0);
		if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
			wl_error_errno(err, errno, "cannot read '%s'", path);
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
	} else if (s && s->fd < 0) {
		fd = read_once(path, err);
	} else if (s) { /* the head first, then the rest of the stream */
		fd = s->fd;
		in->head = s->head;
		in->nhead = s->nhead;
		s->fd = -1;
		s->head = NULL;
		s->nhead = 0;
	}
	pthread_mutex_unlock(&mu);
	if (fd < 0) {
		free(in);
		return NULL;
	}
	in->fd = fd;
	in->size = in->head || fstat(fd, &st) || !S_ISREG(st.st_mode) ? -1 :
		   (long long)st.st_size;
	return in;
}

ssize_t wl_input_read(struct wl_input *in, void *buf, size_t n)
{
	if (in->at < in->nhead) {
		size_t k = in->nhead - in->at < n ? in->nhead - in->at : n;

		memcpy(buf, in->head + in->at, k);
		in->at += k;
		return (ssize_t)k;
	}
	return read(in->fd, buf, n);
}

ssize_t wl_input_pread(struct wl_input *in, void *buf, size_t n, long long off)
{
	return pread(in->fd, buf, n, (off_t)off);
}

long long wl_input_size(const struct wl_input *in)
{
	return in->size;
}

void wl_input_close(struct wl_input *in)
{
	if (!in)
		return;
	close(in->fd);
	free(in->head);
	free(in);
}

static unsigned long long max_bytes(void)
{
	const char *s = getenv("WATTLOG_INPUT_MAX");
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return WL_INPUT_MAX_DEFAULT;
	v = strtoull(s, &end, 10);
	return *end || !v ? WL_INPUT_MAX_DEFAULT : v;
}

/* An unlinked temporary file in $TMPDIR (else /tmp) named in dir, or -1
 * with errno. */
static int temp_file(char *dir, size_t n)
{
	const char *t = getenv("TMPDIR");
	char path[4200];
	int fd;

	snprintf(dir, n, "%s", t && *t ? t : "/tmp");
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	if ((size_t)snprintf(path, sizeof(path), "%s/wattlog-input.XXXXXX", dir) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Appends buf[0..n) to the copy (total bytes so far); 0 or -1 with err. */
static int append(const char *path, int fd, const char *dir, const char *buf, size_t n,
		  unsigned long long *total, struct wl_error *err)
{
	unsigned long long limit = max_bytes();

	/* a head with a NUL byte and no trace magic: binary data (the rule
	 * of wl_ingest_detect), refused before it is copied whole */
	if (*total == 0 && n && memcmp(buf, WL_FILE_MAGIC, n < 4 ? n : 4) && memchr(buf, 0, n))
		return wl_error_set(err, "unknown format: '%s': binary data that is no wattlog "
				    "trace", path);
	if (n > limit - *total)
		return wl_error_set(err, "'%s' offset %llu: more than %llu bytes from a pipe "
				    "(WATTLOG_INPUT_MAX): save it to a file and name the file",
				    path, limit, limit);
	if (write_all(fd, buf, n))
		return wl_error_errno(err, errno, "cannot copy '%s' from a pipe into '%s'", path,
				      dir);
	*total += n;
	return 0;
}

/* Copies the stream (head, then the rest) into a new temporary file: its
 * descriptor, or -1 with err.  The stream is consumed either way. */
static int make_copy(struct stream *s, struct wl_error *err)
{
	unsigned long long total = 0;
	char dir[4096], *buf = malloc(COPY_CHUNK);
	ssize_t k = 1;
	int fd = temp_file(dir, sizeof(dir));

	if (fd < 0)
		wl_error_errno(err, errno, "cannot read '%s': no temporary file in '%s' to copy "
			       "the pipe into", s->path, dir);
	else if (!buf)
		wl_error_set(err, "cannot read '%s': out of memory", s->path);
	else if (append(s->path, fd, dir, s->head, s->nhead, &total, err))
		k = -1;
	while (fd >= 0 && buf && k > 0) {
		k = read(s->fd, buf, COPY_CHUNK);
		if (k < 0 && errno == EINTR) {
			k = 1;
		} else if (k < 0) {
			wl_error_errno(err, errno, "cannot read '%s' at offset %llu", s->path, total);
		} else if (k > 0 && append(s->path, fd, dir, buf, (size_t)k, &total, err)) {
			k = -1;
		}
	}
	free(buf);
	close(s->fd);
	s->fd = -1;
	free(s->head);
	s->head = NULL;
	s->nhead = 0;
	if (fd >= 0 && (!buf || k < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int wl_input_file(const char *path, struct wl_error *err)
{
	struct stream *s;
	int fd;

	pthread_mutex_lock(&mu);
	s = stream_of(path, &fd, err);
	if (s && s->copy < 0 && s->fd < 0)
		fd = read_once(path, err);
	else if (s && s->copy < 0 && (s->copy = make_copy(s, err)) < 0)
		fd = -1;
	else if (s && (fd = fcntl(s->copy, F_DUPFD_CLOEXEC, 0)) < 0)
		wl_error_errno(err, errno, "cannot read '%s'", path);
	pthread_mutex_unlock(&mu);
	return fd;
}

static ssize_t cookie_read(void *c, char *buf, size_t n)
{
	return wl_input_read(c, buf, n);
}

static int cookie_close(void *c)
{
	wl_input_close(c);
	return 0;
}

FILE *wl_input_fopen(const char *path, struct wl_error *err)
{
	cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
	struct wl_input *in = wl_input_open(path, err);
	FILE *f;

	if (!in)
		return NULL;
	f = fopencookie(in, "r", io);
	if (!f) {
		wl_input_close(in);
		wl_error_set(err, "cannot read '%s': out of memory", path);
	}
	return f;
}
