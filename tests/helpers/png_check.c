/*
 * png_check.c - prints "WIDTH HEIGHT INK" for a PNG: its size in pixels and
 * the fraction of pixels in the central half (x and y from 25 % to 75 %)
 * that are not white, so a test can tell a drawn plot from a blank one, and
 * a fourth figure COLOUR: the fraction of all pixels whose channels differ by
 * more than 64 (coloured marks: bars, lines, points; not the black, white
 * and grey of axes, text and grid), wherever the data put them.
 * Exit 1 when the file is not a readable PNG.
 */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	cairo_surface_t *s;
	unsigned char *d;
	int w, h, st, x, y;
	long ink = 0, all = 0, colour = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: png_check FILE.png\n");
		return 2;
	}
	s = cairo_image_surface_create_from_png(argv[1]);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "png_check: cannot read '%s': %s\n", argv[1],
			cairo_status_to_string(cairo_surface_status(s)));
		return 1;
	}
	cairo_surface_flush(s);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	st = cairo_image_surface_get_stride(s);
	d = cairo_image_surface_get_data(s);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint32_t p = *(const uint32_t *)(const void *)(d + (size_t)y * st + 4 * (size_t)x);
			int r = (int)(p >> 16 & 0xff), g = (int)(p >> 8 & 0xff), b = (int)(p & 0xff);
			int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
			int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);

			if (hi - lo > 64)
				colour++;
		}
	for (y = h / 4; y < 3 * h / 4; y++)
		for (x = w / 4; x < 3 * w / 4; x++) {
			uint32_t p = *(const uint32_t *)(const void *)(d + (size_t)y * st + 4 * (size_t)x);

			all++;
			if ((p & 0xffffff) != 0xffffff)
				ink++;
		}
	printf("%d %d %.4f %.4f\n", w, h, all ? (double)ink / all : 0.0,
	       w && h ? (double)colour / ((double)w * h) : 0.0);
	cairo_surface_destroy(s);
	return 0;
}
