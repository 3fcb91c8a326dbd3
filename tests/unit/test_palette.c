/* test_palette.c - colours of src/render/palette.c against the published
 * Okabe-Ito and ColorBrewer RdBu values. */
#include <criterion/criterion.h>
#include <math.h>

#include "wattlog/plot.h"

#define EQ(c, R, G, B)                                      \
	do {                                                \
		cr_expect_float_eq((c).r, (R) / 255.0, 1e-9); \
		cr_expect_float_eq((c).g, (G) / 255.0, 1e-9); \
		cr_expect_float_eq((c).b, (B) / 255.0, 1e-9); \
	} while (0)

Test(palette, okabe_ito)
{
	EQ(wl_palette_okabe_ito(1), 230, 159, 0);  /* orange E69F00 */
	EQ(wl_palette_okabe_ito(5), 0, 114, 178);  /* blue 0072B2 */
	EQ(wl_palette_okabe_ito(9), 230, 159, 0);  /* wraps mod 8 */
}

Test(palette, components_fixed)
{
	EQ(wl_palette_component("gpu0"), 0, 114, 178);
	EQ(wl_palette_component("cpu"), 213, 94, 0);
	EQ(wl_palette_component("dram"), 0, 158, 115);
	EQ(wl_palette_component("total"), 0, 0, 0);
	/* Unknown names: stable, never black. */
	struct wl_rgb a = wl_palette_component("npu7"), b = wl_palette_component("npu7");
	cr_expect(a.r == b.r && a.g == b.g && a.b == b.b);
	cr_expect(a.r + a.g + a.b > 0);
}

Test(palette, diverging)
{
	EQ(wl_palette_diverging(-1), 5, 48, 97);     /* 053061 */
	EQ(wl_palette_diverging(0), 247, 247, 247);  /* F7F7F7 */
	EQ(wl_palette_diverging(1), 103, 0, 31);     /* 67001F */
	EQ(wl_palette_diverging(5), 103, 0, 31);     /* clamped */
	/* r = 0.1: halfway between F7F7F7 (0) and FDDBC7 (0.2). */
	EQ(wl_palette_diverging(0.1), 250, 233, 223);
	cr_expect(wl_palette_diverging(-0.5).b > wl_palette_diverging(-0.5).r);
	cr_expect(wl_palette_diverging(0.5).r > wl_palette_diverging(0.5).b);
}

Test(palette, luminance)
{
	cr_expect_float_eq(wl_palette_luminance((struct wl_rgb){ 1, 1, 1 }), 1, 1e-9);
	cr_expect_float_eq(wl_palette_luminance((struct wl_rgb){ 0, 0, 0 }), 0, 1e-9);
	/* sRGB 0.5 grey: ((0.5 + 0.055) / 1.055)^2.4 = 0.21404. */
	cr_expect_float_eq(wl_palette_luminance((struct wl_rgb){ 0.5, 0.5, 0.5 }), 0.21404, 1e-4);
}
