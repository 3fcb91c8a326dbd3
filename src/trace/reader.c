/*
 * reader.c - the trace reader (trace.h; format: trace_format.h): the file
 * header, the walk over blocks, resynchronisation after damage.  Record
 * bodies are decoded in reader_record.c; damage is listed by
 * reader_damage.c.
 *
 * The file is mapped (a pipe or standard input is first copied into a
 * temporary file, bounded: src/trace/input.c) and never read out of bounds: every length is checked against what is
 * left before it is used.
 *
 * Memory: pages of the mapping behind the walk are handed back to the
 * kernel (madvise MADV_DONTNEED) every WL_READER_RELEASE bytes, so the
 * resident size stays bounded (about that plus one block) however long the
 * file.  Nothing handed out points into the mapping (records are copied
 * into the reader's buffers), and a private, never written file mapping
 * reads the file again if a released page is touched, so releasing can
 * never change what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "le.h"
#include "reader_int.h"
#include "wattlog/input.h"

static int load(struct wl_reader *r, struct wl_error *err)
{
	struct stat st;
	void *m;
	int fd, rc = 0;

	fd = wl_input_file(r->path, err); /* a pipe: copied into a file (input.h) */
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		rc = wl_error_errno(err, errno, "cannot stat '%s'", r->path);
	} else if (S_ISREG(st.st_mode)) {
		r->size = (size_t)st.st_size;
		if (r->size) {
			m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (m == MAP_FAILED)
				rc = wl_error_errno(err, errno, "cannot map '%s'", r->path);
			else {
				r->data = m;
				r->mapped = 1;
				madvise(m, r->size, MADV_SEQUENTIAL);
			}
		}
	} else if (S_ISDIR(st.st_mode)) {
		rc = wl_error_set(err, "cannot read '%s': is a directory", r->path);
	} else {
		rc = wl_error_set(err, "cannot read '%s': not a regular file", r->path);
	}
	close(fd);
	return rc;
}

/* The file header (trace_format.h section 3).  A file shorter than the
 * header whose bytes agree with a valid header is a trace cut off at once:
 * opened, with its torn tail reported. */
static int check_header(struct wl_reader *r, struct wl_error *err)
{
	static const unsigned char le_bom[4] = { 0x0D, 0x0C, 0x0B, 0x0A };
	static const unsigned char be_bom[4] = { 0x0A, 0x0B, 0x0C, 0x0D };
	const unsigned char *h = r->data;
	size_t n = r->size;

	if (n == 0)
		return wl_error_set(err, "not a wattlog trace: '%s': empty file", r->path);
	if (memcmp(h, WL_FILE_MAGIC, n < 4 ? n : 4))
		return wl_error_set(err, "not a wattlog trace: '%s': bad magic at offset 0", r->path);
	if (n > 4 && !memcmp(h + 4, be_bom, n < 8 ? n - 4 : 4) && n >= 8)
		return wl_error_set(err, "not a wattlog trace: '%s': big-endian byte order mark at "
				    "offset 4 (version 1 traces are little-endian)", r->path);
	if (n > 4 && memcmp(h + 4, le_bom, n < 8 ? n - 4 : 4))
		return wl_error_set(err, "not a wattlog trace: '%s': bad byte order mark at offset 4",
				    r->path);
	if (n < WL_FILE_HEADER_SIZE) {
		r->major = WL_VERSION_MAJOR;
		r->pos = n;
		if (wl_reader_add_damage(r, 0, n, "torn tail: file header cut off"))
			return wl_error_set(err, "cannot read '%s': out of memory", r->path);
		return 0;
	}
	r->major = wl_get16(h + 8);
	r->minor = wl_get16(h + 10);
	if (r->major != WL_VERSION_MAJOR)
		return wl_error_set(err, "unsupported trace version %u.%u in '%s'", r->major,
				    r->minor, r->path);
	r->pos = WL_FILE_HEADER_SIZE;
	return 0;
}

struct wl_reader *wl_reader_open(const char *path, struct wl_error *err)
{
	struct wl_reader *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path))) {
		free(r);
		wl_error_set(err, "cannot read '%s': out of memory", path);
		return NULL;
	}
	r->chan = calloc(65536, sizeof(*r->chan));
	r->undeclared = calloc(65536 / 8, 1);
	if (!r->chan || !r->undeclared) {
		wl_error_set(err, "cannot read '%s': out of memory", path);
		wl_reader_free(r);
		return NULL;
	}
	if (load(r, err) || check_header(r, err)) {
		wl_reader_free(r);
		return NULL;
	}
	return r;
}

#define WL_READER_RELEASE (16u << 20)

/* Hands back the whole pages of the mapping before offset off, once there
 * are WL_READER_RELEASE bytes of them. */
static void release_behind(struct wl_reader *r, size_t off)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), end;

	if (!r->mapped || pg == 0 || off > r->size)
		return;
	end = off - off % pg;
	if (end < r->released + WL_READER_RELEASE)
		return;
	madvise((void *)(uintptr_t)(r->data + r->released), end - r->released, MADV_DONTNEED);
	r->released = end;
}

/* Does a whole, checksummed block start at off?  Its payload length, or 0. */
static size_t good_block(const struct wl_reader *r, size_t off, const char **why)
{
	const unsigned char *h = r->data + off;
	size_t left = r->size - off;
	uint32_t len, crc;

	*why = "torn tail";
	if (left < WL_BLOCK_HEADER_SIZE) {
		if (memcmp(h, WL_BLOCK_MAGIC, left < 4 ? left : 4))
			*why = "bad block magic";
		return 0;
	}
	if (memcmp(h, WL_BLOCK_MAGIC, 4)) {
		*why = "bad block magic";
		return 0;
	}
	len = wl_get32(h + 4);
	if (len == 0 || len > WL_BLOCK_MAX_PAYLOAD) {
		*why = "bad block length";
		return 0;
	}
	if (len > left - WL_BLOCK_HEADER_SIZE)
		return 0; /* torn tail, unless a good block follows */
	crc = wl_crc32c(0, h, 12);
	crc = wl_crc32c(crc, h + WL_BLOCK_HEADER_SIZE, len);
	if (crc != wl_get32(h + 12)) {
		*why = "checksum mismatch";
		return 0;
	}
	return len;
}

/* The next offset after `from` where a good block starts, or r->size.
 * Searched in windows of WL_READER_RELEASE bytes (overlapping by 3, so a
 * magic across a window's edge is found), releasing pages behind. */
static size_t resync(struct wl_reader *r, size_t from)
{
	const unsigned char *p;
	const char *why;
	size_t win;

	while (from < r->size) {
		win = r->size - from;
		if (win > WL_READER_RELEASE)
			win = WL_READER_RELEASE;
		p = memmem(r->data + from, win, WL_BLOCK_MAGIC, 4);
		if (!p) {
			if (from + win >= r->size)
				return r->size;
			from += win - 3;
			release_behind(r, from);
			continue;
		}
		from = (size_t)(p - r->data);
		if (good_block(r, from, &why))
			return from;
		from++;
	}
	return r->size;
}

/* The offset of a file header (magic, little-endian byte-order mark,
 * major version 1) in [from, to), or 0 when none: a second trace appended
 * to the first (cat a.wlog b.wlog), which is a new run, never a part of
 * this one. */
static size_t second_header(const struct wl_reader *r, size_t from, size_t to)
{
	static const unsigned char hdr[10] = { 'W', 'L', 'O', 'G', 0x0D, 0x0C, 0x0B, 0x0A, 1, 0 };
	const unsigned char *p = r->data + from;

	while (to - from >= WL_FILE_HEADER_SIZE &&
	       (p = memmem(r->data + from, to - from, hdr, sizeof(hdr))) != NULL) {
		if ((size_t)(p - r->data) + WL_FILE_HEADER_SIZE <= r->size)
			return (size_t)(p - r->data);
		from = (size_t)(p - r->data) + 1;
	}
	return 0;
}

/* Moves to the next good block: 1 (payload set), 0 at the end, -1 (memory),
 * -2 (a second file header at r->pos). */
static int next_block(struct wl_reader *r)
{
	const char *why;
	uint32_t seq;
	size_t len, next;

	while (r->pos < r->size) {
		release_behind(r, r->pos);
		len = good_block(r, r->pos, &why);
		if (!len) {
			next = resync(r, r->pos + 1);
			if (next == r->size && !strcmp(why, "torn tail") && r->follow)
				return 0; /* still being written: read again after a refresh */
			if ((r->second = second_header(r, r->pos, next)) != 0)
				return -2;
			if (next == r->size && !strcmp(why, "torn tail")) {
				if (wl_reader_add_damage(r, r->pos, r->size - r->pos,
							 "torn tail: block cut off"))
					return -1;
			} else if (next == r->size) {
				if (wl_reader_add_damage(r, r->pos, next - r->pos,
							 "%s; nothing readable after it", why))
					return -1;
			} else if (wl_reader_add_damage(r, r->pos, next - r->pos, "%s",
							!strcmp(why, "torn tail") ?
							"bad block length: runs past the end of the file" : why)) {
				return -1;
			}
			r->damage_since_block = 1;
			r->pos = next;
			continue;
		}
		seq = wl_get32(r->data + r->pos + 8);
		if (seq != r->next_seq && !r->damage_since_block &&
		    wl_reader_add_damage(r, r->pos, 0, "sequence gap: block %u where %u was expected",
					 seq, r->next_seq))
			return -1;
		r->next_seq = seq + 1;
		r->damage_since_block = 0;
		r->rp = r->pos + WL_BLOCK_HEADER_SIZE;
		r->bend = r->rp + len;
		r->pos = r->bend;
		r->in_block = 1;
		return 1;
	}
	return 0;
}

int wl_reader_next(struct wl_reader *r, struct wl_record *rec, struct wl_error *err)
{
	const unsigned char *h;
	uint32_t blen;
	uint16_t kind;
	size_t off;
	int rc;

	for (;;) {
		if (!r->in_block || r->rp >= r->bend) {
			r->in_block = 0;
			rc = next_block(r);
			if (rc == -2)
				return wl_error_set(err, "'%s' offset %zu: a second trace header: two "
						    "traces concatenated are not one run (split the "
						    "file at this offset)", r->path, r->second);
			if (rc < 0)
				return wl_error_set(err, "cannot read '%s': out of memory", r->path);
			if (rc == 0)
				return 0;
		}
		off = r->rp;
		h = r->data + off;
		if (r->bend - off < WL_RECORD_HEADER_SIZE ||
		    (blen = wl_get32(h + 4)) > r->bend - off - WL_RECORD_HEADER_SIZE) {
			r->in_block = 0;
			if (wl_reader_add_damage(r, off, r->bend - off,
						 "record runs past the end of its block"))
				return wl_error_set(err, "cannot read '%s': out of memory", r->path);
			continue;
		}
		kind = wl_get16(h);
		r->rp = off + WL_RECORD_HEADER_SIZE + blen;
		rc = wl_reader_decode(r, kind, h + WL_RECORD_HEADER_SIZE, blen, off, rec, err);
		if (rc)
			return rc;
	}
}

void wl_reader_follow(struct wl_reader *r)
{
	r->follow = 1;
}

int wl_reader_refresh(struct wl_reader *r, struct wl_error *err)
{
	struct stat st;
	void *m;
	int fd, rc = 0;

	if (!r->mapped && r->size)
		return 0; /* read whole from a pipe: nothing more will come */
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wl_error_errno(err, errno, "cannot open '%s'", r->path);
	if (fstat(fd, &st)) {
		rc = wl_error_errno(err, errno, "cannot stat '%s'", r->path);
	} else if (S_ISREG(st.st_mode) && (size_t)st.st_size > r->size) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			rc = wl_error_errno(err, errno, "cannot map '%s'", r->path);
		} else {
			if (r->mapped)
				munmap((void *)(uintptr_t)r->data, r->size);
			r->data = m;
			r->size = (size_t)st.st_size;
			r->mapped = 1;
			r->released = 0; /* a new mapping: nothing handed back yet */
			rc = 1;
		}
	}
	close(fd);
	return rc;
}

const struct wl_chan_info *wl_reader_channel(const struct wl_reader *r, uint16_t id)
{
	return r->chan[id];
}

void wl_reader_version(const struct wl_reader *r, unsigned *major, unsigned *minor)
{
	*major = r->major;
	*minor = r->minor;
}

void wl_reader_free(struct wl_reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->mapped)
		munmap((void *)(uintptr_t)r->data, r->size);
	else
		free((void *)(uintptr_t)r->data);
	if (r->chan)
		for (i = 0; i < 65536; i++)
			free(r->chan[i]);
	free(r->chan);
	free(r->undeclared);
	free(r->dmg);
	free(r->kv);
	free(r->text);
	free(r->ids);
	free(r->vals);
	free(r->path);
	free(r);
}
