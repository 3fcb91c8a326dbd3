/*
 * fuzz_marker.c - libFuzzer target for the recorder's marker lines
 * (src/record/markers.c): bytes fed in chunks whose sizes the input picks.
 * Properties: a marker's text is 1..WL_MARKER_LINE_MAX bytes with no control
 * character and no surrounding blank; a sender stamp is never after the
 * receipt time + 1 s; the partial line buffered never exceeds
 * WL_MARKER_LINE_MAX (bounded memory); markers + refused lines never exceed
 * the lines fed (every '\n' ends at most one, and so does each cut line).
 */
#include "fuzz_common.h"
#include "wattlog/trace_format.h"
#include "../../src/record/markers.h"

#define NOW_NS 5000000000000ull

static uint64_t got;

static int on_marker(void *ctx, uint64_t t_ns, uint32_t flags, const char *text, size_t len)
{
	size_t i;

	(void)ctx;
	got++;
	if (!len || len > WL_MARKER_LINE_MAX)
		fuzz_fail("%smarker of %g bytes", "", (double)len);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			fuzz_fail("%scontrol character in a marker at %g", "", (double)i);
	if (text[0] == ' ' || text[len - 1] == ' ')
		fuzz_fail("%sblank around a marker (%g)", "", 0);
	if ((flags & WL_MARKER_SENDER_TIME) ? t_ns > NOW_NS + 1000000000ull : t_ns != NOW_NS)
		fuzz_fail("%smarker stamped %g", "", (double)t_ns);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wl_marker_in in;
	const struct wl_marker_sink sink = { NULL, on_marker, NULL };
	size_t off = 0, chunk, lines = 0, i;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] * 37 + 1; /* 1 .. 9436 bytes per feed */
	data++, size--;
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	wl_marker_in_init(&in, -1, "fuzz");
	got = 0;
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;

		if (wl_marker_feed(&in, (const char *)data + off, n, NOW_NS, &sink))
			fuzz_fail("%sfeed failed at %g", "", (double)off);
		if (in.len > WL_MARKER_LINE_MAX)
			fuzz_fail("%sbuffered %g bytes", "", (double)in.len);
		off += n;
	}
	if (got != in.markers || in.markers + in.bad > lines + in.truncated)
		fuzz_fail("%s%g markers for the lines fed", "", (double)got);
	return 0;
}
