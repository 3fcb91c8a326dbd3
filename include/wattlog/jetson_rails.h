/*
 * jetson_rails.h - which INA3221 rail of each NVIDIA Jetson module is the
 * module's input (its whole power), shared by the recorder's ina3221
 * source and the analyzer (the tegrastats reader, the energy total).
 *
 * Rail names are the channel labels as the L4T device trees give them to
 * the ina3221 driver and as tegrastats prints them.  Where a module has no
 * input rail (Jetson AGX Xavier, AGX Orin), its whole power is taken as the
 * sum of its rails, and says so: the rails leave out what no monitor sees.
 * Libc only.
 */
#ifndef WATTLOG_JETSON_RAILS_H
#define WATTLOG_JETSON_RAILS_H

#include <stddef.h>

#define WL_JETSON_MAXRAILS 6

struct wl_jetson_module {
	const char *module;     /* "Jetson Nano" */
	const char *input_rail; /* "POM_5V_IN"; NULL: none, the sum of rails */
	const char *rails[WL_JETSON_MAXRAILS + 1]; /* every rail, NULL-terminated */
	const char *source;     /* the document the row comes from */
};

/* The table, in a fixed order; returns its length. */
size_t wl_jetson_modules(const struct wl_jetson_module **list);

/*
 * The module whose rail list holds every one of names[0..n) (n > 0), or
 * NULL when none does (an unknown board: no rail is taken as the input).
 */
const struct wl_jetson_module *wl_jetson_module_of(const char *const *names, size_t n);

/* 1 when name is the input rail of a module of the table ("VDD_IN",
 * "POM_5V_IN"), else 0. */
int wl_jetson_is_input_rail(const char *name);

/* For readers that see only some rails (tegrastats): the module family the
 * rails rails[0..n) show, by a rail only that family has ("Jetson Nano"),
 * else "a Jetson module" when one of them is an input rail, else NULL;
 * *input = its input rail, NULL when it has none (AGX Xavier, AGX Orin: the
 * total is the sum of the rails) or the family is unknown. */
const char *wl_jetson_module(const char *const *rails, size_t n, const char **input);

#endif
