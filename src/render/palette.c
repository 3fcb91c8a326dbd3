/*
 * palette.c - colours (see plot.h).  Okabe & Ito (2008), "Color Universal
 * Design": eight colours told apart under the common colour-vision
 * deficiencies.  Diverging map: ColorBrewer RdBu, 11 classes (Brewer 2002),
 * also colour-blind safe.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "wattlog/plot.h"

#define RGB(h) { ((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0 }

static const struct wl_rgb okabe_ito[8] = {
	RGB(0x000000), /* black */
	RGB(0xE69F00), /* orange */
	RGB(0x56B4E9), /* sky blue */
	RGB(0x009E73), /* bluish green */
	RGB(0xF0E442), /* yellow */
	RGB(0x0072B2), /* blue */
	RGB(0xD55E00), /* vermillion */
	RGB(0xCC79A7), /* reddish purple */
};

struct wl_rgb wl_palette_okabe_ito(size_t i)
{
	return okabe_ito[i % 8];
}

/* Fixed component colours: GPUs first in blue, orange, sky blue, purple;
 * cpu vermillion, dram green, total black.  Yellow is left to the hash
 * fallback: it is weak on white. */
static const struct {
	const char *name;
	unsigned idx;
} fixed[] = {
	{ "total", 0 }, { "cpu", 6 },  { "dram", 3 }, { "gpu0", 5 }, { "gpu1", 1 },
	{ "gpu2", 2 },  { "gpu3", 7 }, { "gpu4", 4 }, { "psys", 0 }, { "node", 0 },
	{ "VDD_IN", 0 }, { "VDD_CPU_GPU_CV", 5 }, { "VDD_SOC", 3 }, { "VDD_GPU_SOC", 5 },
	{ "VDD_CPU_CV", 6 }, { "VIN_SYS_5V0", 1 }, { "VDDQ_VDD2_1V8AO", 7 },
};

struct wl_rgb wl_palette_component(const char *component)
{
	unsigned long h = 5381;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(component, fixed[i].name))
			return okabe_ito[fixed[i].idx];
	/* djb2 hash over the name: the same name, the same colour, in every
	 * figure; never black (reserved for the total). */
	for (i = 0; component[i]; i++)
		h = h * 33 + (unsigned char)component[i];
	return okabe_ito[1 + h % 7];
}

struct wl_rgb wl_palette_phase(const char *label, int light)
{
	static const struct wl_rgb grey = RGB(0x999999), lgrey = RGB(0xE6E6E6);
	struct wl_rgb c;
	double k = 0.78; /* light = c + k * (white - c) */

	if (!strcasecmp(label, "idle"))
		return light ? lgrey : grey;
	if (!strcasecmp(label, "prefill"))
		c = okabe_ito[1];
	else if (!strcasecmp(label, "decode"))
		c = okabe_ito[2];
	else if (!strcasecmp(label, "active"))
		c = okabe_ito[3];
	else
		c = okabe_ito[7];
	if (light) {
		c.r += k * (1 - c.r);
		c.g += k * (1 - c.g);
		c.b += k * (1 - c.b);
	}
	return c;
}

static const struct wl_rgb rdbu[11] = {
	RGB(0x053061), RGB(0x2166AC), RGB(0x4393C3), RGB(0x92C5DE), RGB(0xD1E5F0), RGB(0xF7F7F7),
	RGB(0xFDDBC7), RGB(0xF4A582), RGB(0xD6604D), RGB(0xB2182B), RGB(0x67001F),
};

struct wl_rgb wl_palette_diverging(double r)
{
	struct wl_rgb c = { 0.6, 0.6, 0.6 };
	double f, u;
	int i;

	if (isnan(r))
		return c;
	if (r < -1)
		r = -1;
	if (r > 1)
		r = 1;
	/* Stops at r = -1 + 0.2 k; linear between neighbours. */
	f = (r + 1) * 5;
	i = (int)floor(f);
	if (i >= 10)
		return rdbu[10];
	u = f - i;
	c.r = rdbu[i].r + u * (rdbu[i + 1].r - rdbu[i].r);
	c.g = rdbu[i].g + u * (rdbu[i + 1].g - rdbu[i].g);
	c.b = rdbu[i].b + u * (rdbu[i + 1].b - rdbu[i].b);
	return c;
}

/* WCAG relative luminance: L = 0.2126 R + 0.7152 G + 0.0722 B over
 * linearised sRGB channels. */
static double lin(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double wl_palette_luminance(struct wl_rgb c)
{
	return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
