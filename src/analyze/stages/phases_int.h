/*
 * phases_int.h - private to src/analyze/stages/phases_*.c: the phase stages on
 * the components' power read once (components.h), so that finding the
 * phases and their energies normalize each channel once.
 */
#ifndef WATTLOG_ANALYZE_PHASES_INT_H
#define WATTLOG_ANALYZE_PHASES_INT_H

#include "wattlog/phases.h"
#include "wattlog/components.h"

/* The components' power of ds over the whole run (phases_energy.c); none
 * (pw->n 0) when ds has no power channel at all.  Release with
 * wl_comp_power_release.  0 or -1 with err. */
int wl_phases_power(const struct wl_dataset *ds, struct wl_comp_power *pw, struct wl_error *err);
/* wl_phases_auto and wl_phases_energy on pw. */
int wl_phases_auto_with(const struct wl_dataset *ds, const struct wl_comp_power *pw,
			const struct wl_phase_opts *o, struct wl_phase_list *out,
			struct wl_error *err);
int wl_phases_energy_with(const struct wl_dataset *ds, const struct wl_comp_power *pw,
			  struct wl_phase_list *out, struct wl_error *err);

#endif
