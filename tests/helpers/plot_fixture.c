/*
 * plot_fixture.c - draws one figure of a synthetic run whose truth is known
 * by construction, for tests/e2e/t50-plot.sh and for looking at figures:
 *
 *   plot_fixture FIGURE OUT [paper|screen] [single|double]
 *
 * The run (60 s, 10 Hz): idle 0-10 s (gpu0 80 W), prefill 10-25 s (300 W,
 * tensor 90 %, SM clock 1100 MHz), idle 25-35 s, decode 35-60 s (250 W,
 * tensor 0 %, dram_active 35 %, SM clock 1400 MHz); cpu 40 W + 20 W when
 * busy, dram 10 W; a marker at each phase start; a one-sample 500 W spike
 * at t = 50 s.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/plot.h"

static const struct {
	const char *label;
	double a, b, gpu, tensor, dram, clk, occ;
} sched[] = {
	{ "idle", 0, 10, 80, 0, 0, 1410, 0 },
	{ "prefill", 10, 25, 300, 90, 10, 1100, 30 },
	{ "idle", 25, 35, 80, 0, 0, 1410, 0 },
	{ "decode", 35, 60, 250, 0, 35, 1400, 50 },
};
#define NS (sizeof(sched) / sizeof(sched[0]))

static int build(struct wl_dataset *ds, struct wl_phase_list *ph)
{
	long gpu, cpu, dram, clk, ten, dra, occ;
	size_t i, k;

	ds->path = strdup("fixture");
	gpu = wl_dataset_channel(ds, "power.draw", "W", "gpu0", "fixture", WL_DS_GAUGE, 0);
	cpu = wl_dataset_channel(ds, "cpu_power", "W", "cpu", "fixture", WL_DS_GAUGE, 0);
	dram = wl_dataset_channel(ds, "dram_power", "W", "dram", "fixture", WL_DS_GAUGE, 0);
	clk = wl_dataset_channel(ds, "clocks.sm", "MHz", "gpu0", "fixture", WL_DS_GAUGE, 0);
	ten = wl_dataset_channel(ds, "tensor_active", "%", "gpu0", "fixture", WL_DS_GAUGE, 0);
	dra = wl_dataset_channel(ds, "dram_active", "%", "gpu0", "fixture", WL_DS_GAUGE, 0);
	occ = wl_dataset_channel(ds, "sm_occupancy", "%", "gpu0", "fixture", WL_DS_GAUGE, 0);
	if (gpu < 0 || cpu < 0 || dram < 0 || clk < 0 || ten < 0 || dra < 0 || occ < 0)
		return -1;
	wl_channel_component(&ds->ch[gpu], "gpu0");
	wl_channel_component(&ds->ch[cpu], "cpu");
	wl_channel_component(&ds->ch[dram], "dram");
	for (k = 0; k <= 600; k++) {
		double t = k * 0.1, w = 3 * sin(k * 0.7); /* deterministic ripple */

		for (i = 0; i + 1 < NS && t >= sched[i].b; i++)
			;
		wl_channel_push(&ds->ch[gpu], t, k == 500 ? 500 : sched[i].gpu + w);
		wl_channel_push(&ds->ch[cpu], t, sched[i].gpu > 100 ? 60 + w : 40 + w);
		wl_channel_push(&ds->ch[dram], t, 10 + w / 3);
		wl_channel_push(&ds->ch[clk], t, sched[i].clk);
		wl_channel_push(&ds->ch[ten], t, sched[i].tensor + (sched[i].tensor ? w : 0));
		wl_channel_push(&ds->ch[dra], t, sched[i].dram + (sched[i].dram ? w : 0));
		wl_channel_push(&ds->ch[occ], t, sched[i].occ + w * 0.5 + 2);
	}
	ph->p = calloc(NS, sizeof(*ph->p));
	if (!ph->p)
		return -1;
	for (i = 0; i < NS; i++) {
		struct wl_phase *p = &ph->p[i];

		snprintf(p->label, sizeof(p->label), "%s", sched[i].label);
		p->start_s = sched[i].a;
		p->end_s = sched[i].b;
		p->confidence = 1;
		wl_dataset_marker(ds, sched[i].a, 0, sched[i].label);
	}
	ph->n = ph->cap = NS;
	return 0;
}

int main(int argc, char **argv)
{
	struct wl_dataset ds;
	struct wl_phase_list ph;
	struct wl_plot_opts o;
	struct wl_error err = { "" };
	const char *fig;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: plot_fixture FIGURE OUT [paper|screen] [single|double]\n");
		return 2;
	}
	fig = argv[1];
	wl_plot_opts_init(&o);
	if (strcmp(fig, "standard") && strcmp(fig, "pdfreport") &&
	    wl_plot_format_from_path(argv[2], &o.format) < 0) {
		fprintf(stderr, "plot_fixture: unknown extension in '%s'\n", argv[2]);
		return 2;
	}
	if (argc > 3 && !strcmp(argv[3], "paper"))
		o.style = WL_STYLE_PAPER;
	if (argc > 4)
		o.width_in = !strcmp(argv[4], "double") ? WL_PAPER_DOUBLE_IN : WL_PAPER_SINGLE_IN;
	o.regions = "FR=56,DE=380,PL=660";
	o.x = "power.draw";
	o.y = "clocks.sm";
	wl_dataset_init(&ds);
	wl_phase_list_init(&ph);
	if (build(&ds, &ph) < 0) {
		fprintf(stderr, "plot_fixture: out of memory\n");
		return 1;
	}
	if (!strcmp(fig, "power"))
		rc = wl_fig_power(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "stack")) {
		o.stack = 1;
		rc = wl_fig_power(&ds, &ph, &o, argv[2], &err);
	} else if (!strcmp(fig, "panels"))
		rc = wl_fig_panels(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "heatmap"))
		rc = wl_fig_heatmap(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "energy"))
		rc = wl_fig_energy(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "carbon"))
		rc = wl_fig_carbon(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "scatter"))
		rc = wl_fig_scatter(&ds, &ph, &o, argv[2], &err);
	else if (!strcmp(fig, "pdfreport"))
		rc = wl_plots_pdf_report(argv[2], "wattlog report: fixture",
					 "# wattlog report: `fixture`\n\n## Phases\n\n"
					 "| phase | start_s | end_s |\n|---|---:|---:|\n"
					 "| idle | 0.0 | 10.0 |\n| prefill | 10.0 | 25.0 |\n"
					 "| idle | 25.0 | 35.0 |\n| decode | 35.0 | 60.0 |\n\n"
					 "- a list item\n", &ds, &ph, NULL, &err);
	else if (!strcmp(fig, "standard"))
		rc = wl_plots_standard(&ds, &ph, NULL, NULL, argv[2], &err);
	else {
		fprintf(stderr, "plot_fixture: unknown figure '%s'\n", fig);
		rc = -1;
	}
	if (rc < 0 && err.msg[0])
		fprintf(stderr, "plot_fixture: %s\n", err.msg);
	wl_phase_list_release(&ph);
	wl_dataset_release(&ds);
	return rc < 0 ? 1 : 0;
}
