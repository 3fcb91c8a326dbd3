/*
 * jetson_rails.c - which tegrastats rail is a Jetson module's input (see
 * ingest.h).  The input rail measures the whole module; the others are
 * parts of it and must not be added to it.
 *
 * Rail names as tegrastats prints them, from NVIDIA's Jetson Linux (L4T)
 * Developer Guide, "Platform Power and Performance" -> power monitoring of
 * each module (the INA3221 channels and their labels):
 *   Jetson Nano (L4T R32)        POM_5V_IN (module input), POM_5V_GPU,
 *                                POM_5V_CPU
 *   Jetson TX1 / TX2             VDD_IN (module input), VDD_SYS_CPU,
 *                                VDD_SYS_GPU, VDD_SYS_SOC, VDD_SYS_DDR,
 *                                VDD_4V0_WIFI
 *   Jetson Xavier NX, Orin Nano, VDD_IN (module input), VDD_CPU_GPU_CV,
 *   Orin NX                      VDD_SOC
 *   Jetson AGX Xavier            GPU, CPU, SOC, CV, VDDRQ, SYS5V: no rail
 *                                is the module input
 *   Jetson AGX Orin              VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0,
 *                                VDDQ_VDD2_1V8AO: no rail is the module input
 * Without an input rail the module's total is the sum of its rails (the
 * reader says so).
 */
#include <stddef.h>
#include <string.h>

#include "wattlog/ingest.h"

static const struct wl_jetson_module {
	const char *module;
	const char *input; /* NULL: none */
	const char *sign;  /* a rail only this family prints */
} modules[] = {
	{ "Jetson Nano", "POM_5V_IN", "POM_5V_IN" },
	{ "Jetson TX1/TX2", "VDD_IN", "VDD_SYS_CPU" },
	{ "Jetson Xavier NX / Orin Nano / Orin NX", "VDD_IN", "VDD_CPU_GPU_CV" },
	{ "Jetson AGX Orin", NULL, "VDD_GPU_SOC" },
	{ "Jetson AGX Orin", NULL, "VIN_SYS_5V0" },
	{ "Jetson AGX Xavier", NULL, "VDDRQ" },
	{ "Jetson AGX Xavier", NULL, "SYS5V" },
};

int wl_jetson_is_input_rail(const char *rail)
{
	size_t i;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		if (modules[i].input && !strcmp(rail, modules[i].input))
			return 1;
	return 0;
}

const char *wl_jetson_module(const char *const *rails, size_t n, const char **input)
{
	size_t i, k;

	*input = NULL;
	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		for (k = 0; k < n; k++)
			if (!strcmp(rails[k], modules[i].sign)) {
				*input = modules[i].input;
				return modules[i].module;
			}
	for (k = 0; k < n; k++) /* an unknown family that still prints VDD_IN */
		if (wl_jetson_is_input_rail(rails[k])) {
			*input = rails[k];
			return "a Jetson module";
		}
	return NULL;
}
