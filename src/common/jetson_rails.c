/*
 * jetson_rails.c - the Jetson module table (jetson_rails.h).
 *
 * Sources, per row:
 *  - Nano (P3448): L4T R32 Development Guide, "Power Management for Jetson
 *    Nano Devices", software-based power consumption modeling: POM_5V_IN is
 *    the module's total input, POM_5V_GPU and POM_5V_CPU are parts of it.
 *  - TX2 (P3310): L4T R32 Development Guide, "Power Management for Jetson
 *    TX2 Series Devices": VDD_IN is the module input; VDD_SYS_* and
 *    VDD_4V0_WIFI are parts of it.
 *  - Xavier NX (P3668), Orin NX and Orin Nano (P3767): Jetson Linux
 *    Developer Guide (r35/r36), Platform Power and Performance: VDD_IN is
 *    the total module power ("VDD_IN is the total power of module", NVIDIA
 *    forum answer on Xavier NX rails); VDD_CPU_GPU_CV and VDD_SOC are parts.
 *    The Orin Nano rails match ../shared/real-traces/jetson-orin.
 *  - AGX Xavier (P2888): Jetson AGX Xavier Series Product Design Guide
 *    DG-09840-001 section 5.6.2: the monitors see VDD_GPU, VDD_CPU,
 *    VDD_SOC, VDD_CV, VDD_DDRQ and SYS_VIN_MV (the 5 V input), not the
 *    module's main input SYS_VIN_HV: no input rail.
 *  - AGX Orin (P3701): Jetson Linux Developer Guide r35/r36: VDD_GPU_SOC,
 *    VDD_CPU_CV, VIN_SYS_5V0, VDDQ_VDD2_1V8AO, none of them the module
 *    input (matches ../shared/real-traces/jetson-orin): no input rail.
 */
#include <string.h>

#include "wattlog/jetson_rails.h"

static const struct wl_jetson_module table[] = {
	{ "Jetson Nano", "POM_5V_IN", { "POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU", NULL },
	  "L4T R32 Development Guide, Power Management for Jetson Nano Devices" },
	{ "Jetson TX2", "VDD_IN",
	  { "VDD_IN", "VDD_SYS_CPU", "VDD_SYS_GPU", "VDD_SYS_SOC", "VDD_SYS_DDR",
	    "VDD_4V0_WIFI", NULL },
	  "L4T R32 Development Guide, Power Management for Jetson TX2 Series Devices" },
	{ "Jetson Xavier NX / Orin NX / Orin Nano", "VDD_IN",
	  { "VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC", NULL },
	  "Jetson Linux Developer Guide, Platform Power and Performance" },
	{ "Jetson AGX Xavier", NULL, { "GPU", "CPU", "SOC", "CV", "VDDRQ", "SYS5V", NULL },
	  "Jetson AGX Xavier Series Product Design Guide DG-09840-001, 5.6.2" },
	{ "Jetson AGX Orin", NULL,
	  { "VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO", NULL },
	  "Jetson Linux Developer Guide, Platform Power and Performance" },
};

#define NMOD (sizeof(table) / sizeof(table[0]))

size_t wl_jetson_modules(const struct wl_jetson_module **list)
{
	*list = table;
	return NMOD;
}

static int has_rail(const struct wl_jetson_module *m, const char *name)
{
	for (size_t i = 0; m->rails[i]; i++)
		if (!strcmp(m->rails[i], name))
			return 1;
	return 0;
}

const struct wl_jetson_module *wl_jetson_module_of(const char *const *names, size_t n)
{
	size_t i, j;

	if (!n)
		return NULL;
	for (i = 0; i < NMOD; i++) {
		for (j = 0; j < n && has_rail(&table[i], names[j]); j++)
			;
		if (j == n)
			return &table[i];
	}
	return NULL;
}

/* A rail of m that no other module of the table has. */
static int unique_to(const struct wl_jetson_module *m, const char *rail)
{
	if (!has_rail(m, rail))
		return 0;
	for (size_t i = 0; i < NMOD; i++)
		if (&table[i] != m && has_rail(&table[i], rail))
			return 0;
	return 1;
}

const char *wl_jetson_module(const char *const *rails, size_t n, const char **input)
{
	size_t i, k;

	*input = NULL;
	for (i = 0; i < NMOD; i++)
		for (k = 0; k < n; k++)
			if (unique_to(&table[i], rails[k])) {
				*input = table[i].input_rail;
				return table[i].module;
			}
	for (k = 0; k < n; k++) /* an unknown family that still prints VDD_IN */
		if (wl_jetson_is_input_rail(rails[k])) {
			*input = rails[k];
			return "a Jetson module";
		}
	return NULL;
}

int wl_jetson_is_input_rail(const char *name)
{
	for (size_t i = 0; i < NMOD; i++)
		if (table[i].input_rail && !strcmp(table[i].input_rail, name))
			return 1;
	return 0;
}
