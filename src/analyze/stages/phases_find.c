/*
 * phases_find.c - the phases of a run: the workload's markers when it sent
 * any begin/end marker (truth markers of `wattlog simulate` do not count),
 * else (or with force_auto) automatic segmentation; then their energy.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattlog/phases.h"
#include "wattlog/trace_format.h"
#include "phases_int.h"

static int has_window_markers(const struct wl_dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->nmk; i++)
		if (!(ds->mk[i].flags & WL_MARKER_TRUTH) &&
		    (!strncmp(ds->mk[i].text, "begin ", 6) || !strncmp(ds->mk[i].text, "end ", 4)))
			return 1;
	return 0;
}

/* Request windows that overlap each hold the whole energy of their window
 * here: say so, and where the split is (windows are sorted by start). */
static void note_concurrent(struct wl_phase_list *pl)
{
	double end = -INFINITY;
	size_t i, n = 0;

	for (i = 0; i < pl->n; i++) {
		if (strcmp(pl->p[i].name, "request"))
			continue;
		n += pl->p[i].start_s < end;
		if (pl->p[i].end_s > end)
			end = pl->p[i].end_s;
	}
	if (n)
		wl_phase_list_note(pl, "%zu request windows begin while another is open: each "
				   "window here holds all the energy of its time; 'wattlog "
				   "requests' splits it among concurrent requests", n);
}

int wl_phases_find(const struct wl_dataset *ds, const struct wl_phase_opts *o,
		   struct wl_phase_list *out, struct wl_error *err)
{
	struct wl_comp_power pw;
	int n = 0, rc;

	if ((!o || !o->force_auto) && has_window_markers(ds)) {
		n = wl_phases_markers(ds, out, err);
		if (n < 0)
			return -1;
		snprintf(out->method, sizeof(out->method), "markers");
		if (n == 0)
			wl_phase_list_note(out, "no marker window could be matched: "
					   "phases found from the telemetry instead");
		note_concurrent(out);
	}
	/* the components' power read once, for the segmentation and the
	 * energies */
	if (wl_phases_power(ds, &pw, err))
		return -1;
	rc = n == 0 && wl_phases_auto_with(ds, &pw, o, out, err) < 0 ? -1 :
	     wl_phases_energy_with(ds, &pw, out, err);
	wl_comp_power_release(&pw);
	return rc;
}
