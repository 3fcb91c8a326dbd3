/* test_record_metrics.c - the recorder's live metrics (src/record/metrics*.c):
 * energy by the analyzer's rule on values whose truth is computed by hand
 * here, family names and units, request attribution, both text formats. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/record/rec.h"

static const struct wl_source_ops ops_powercap = { .name = "powercap" };
static const struct wl_source_ops ops_nvml = { .name = "nvml" };
static const struct wl_source_ops ops_procfs = { .name = "procfs" };
static const struct wl_source_ops ops_ina3221 = { .name = "ina3221" };
static const struct wl_source_ops ops_power_meter = { .name = "power_meter" };

static struct wl_chan_info chan(const char *source, const char *name, const char *unit,
				const char *device, int counter, uint64_t wrap, double scale)
{
	struct wl_chan_info c;

	memset(&c, 0, sizeof(c));
	c.kind = counter ? WL_KIND_COUNTER : WL_KIND_GAUGE;
	c.type = counter ? WL_TYPE_U64 : WL_TYPE_F64;
	c.wrap = wrap;
	c.scale = scale;
	snprintf(c.source, sizeof(c.source), "%s", source);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.unit, sizeof(c.unit), "%s", unit);
	snprintf(c.device, sizeof(c.device), "%s", device);
	return c;
}

#define NS 1000000000ull
#define ORIGIN (5 * NS)

static char *render(const struct wl_metrics *m, int om)
{
	size_t cap = wl_metrics_max_bytes(m), n;
	char *buf = malloc(cap + 1);

	cr_assert(buf);
	n = wl_metrics_render(m, om, buf, cap);
	cr_assert_lt(n, cap, "rendering filled its buffer");
	buf[n] = 0;
	return buf;
}

/* The value on the line starting with `prefix`, NaN when there is none. */
static double value(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NAN;
}


static void feed_f(struct wl_metrics *m, size_t si, double t_s, double x)
{
	union wl_value v = { .f = x };
	unsigned char present = 1;

	wl_metrics_sample(m, si, ORIGIN + (uint64_t)(t_s * 1e9), &v, &present);
}

static void mark(struct wl_metrics *m, const char *text)
{
	wl_metrics_marker(m, 0, text, strlen(text));
}

Test(record_metrics, counter_wraps_and_merges)
{
	/* package-0 in uJ, wrapping past 1000 raw units:
	 * 900 -> 950 (+50) -> 100 (wrapped: 100 - 950 + 1000 = +150) -> 100
	 * (unchanged: merged into the next interval) -> 300 (+200 over 2 s)
	 * = 400 uJ; last power 200 uJ / 2 s = 100 uW.
	 * core never moves: no energy (unknown), so no line at all. */
	struct wl_chan_info ch[2] = {
		chan("powercap", "package-0", "uJ", "package-0", 1, 1000, 1),
		chan("powercap", "core", "uJ", "package-0", 1, 1000, 1),
	};
	struct wl_source_desc d = { 2, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_powercap, .desc = &d, .samples = 5 };
	struct wl_metrics *m;
	struct wl_error err;
	uint64_t raw[5] = { 900, 950, 100, 100, 300 };
	unsigned char present[2] = { 1, 1 };
	union wl_value v[2];
	char *om;
	int i;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "h1", ORIGIN, &err), 0, "%s", err.msg);
	for (i = 0; i < 5; i++) {
		v[0].u = raw[i];
		v[1].u = 7;
		wl_metrics_sample(m, 0, ORIGIN + (uint64_t)i * NS, v, present);
	}
	cr_assert_float_eq(wl_metrics_component_j(m, "cpu"), 400e-6, 1e-15);
	om = render(m, 1);
	cr_assert_float_eq(value(om, "wattlog_energy_joules_total{component=\"cpu\",source="
				 "\"powercap\",channel=\"package-0\",device=\"package-0\",host=\"h1\"}"),
			   400e-6, 1e-15, "%s", om);
	cr_assert_float_eq(value(om, "wattlog_power_watts{component=\"cpu\",source=\"powercap\","
				 "channel=\"package-0\",device=\"package-0\",host=\"h1\"}"),
			   100e-6, 1e-15);
	cr_assert_null(strstr(om, "wattlog_powercap_core_joules_total{"), "core never moved");
	cr_assert(strstr(om, "# TYPE wattlog_powercap_core_joules counter\n"));
	cr_assert(strstr(om, "wattlog_samples_total{source=\"powercap\"} 5\n"));
	cr_assert_eq(strcmp(om + strlen(om) - 6, "# EOF\n"), 0);
	free(om);
	wl_metrics_free(m);
}

Test(record_metrics, gauge_trapezoid_and_gap)
{
	/* gpu0's power.draw (no energy counter): 100, 200, 200, 0 W at 0..3 s:
	 * trapezoid 150 + 200 + 100 = 450 J.  A 10 s interval from 0 W to
	 * 100 W is bridged by the trapezoid as the report does by default:
	 * + 500 J; then 100 W for 1 s: + 100 J.  An implausible reading
	 * (20 kW, above the 10 kW bound) is excluded and its neighbours joined:
	 * 100 W to 100 W over 2 s, + 200 J.  Total 1250 J. */
	struct wl_chan_info ch[1] = { chan("nvml", "power.draw", "W", "gpu0", 0, 0, 1) };
	struct wl_source_desc d = { 1, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_nvml, .desc = &d };
	double p[4] = { 100, 200, 200, 0 };
	struct wl_metrics *m;
	struct wl_error err;
	int i;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "h1", ORIGIN, &err), 0);
	for (i = 0; i < 4; i++)
		feed_f(m, 0, i, p[i]);
	cr_assert_float_eq(wl_metrics_component_j(m, "gpu0"), 450, 1e-9);
	feed_f(m, 0, 13, 100);
	cr_assert_float_eq(wl_metrics_component_j(m, "gpu0"), 950, 1e-9);
	feed_f(m, 0, 14, 100);
	feed_f(m, 0, 15, 20000);
	feed_f(m, 0, 16, 100);
	cr_assert_float_eq(wl_metrics_component_j(m, "gpu0"), 1250, 1e-9);
	wl_metrics_free(m);
}

Test(record_metrics, counter_wins_over_gauge)
{
	/* gpu0 has an energy counter (mJ) and power.draw: the counter is the
	 * component's energy; power.draw is served as its own gauge family. */
	struct wl_chan_info ch[2] = {
		chan("nvml", "energy", "mJ", "gpu0", 1, 0, 1),
		chan("nvml", "power.draw", "W", "gpu0", 0, 0, 1),
	};
	struct wl_source_desc d = { 2, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_nvml, .desc = &d };
	struct wl_metrics *m;
	struct wl_error err;
	unsigned char present[2] = { 1, 1 };
	union wl_value v[2];
	char *om;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "h1", ORIGIN, &err), 0);
	v[0].u = 1000000, v[1].f = 999;
	wl_metrics_sample(m, 0, ORIGIN, v, present);
	v[0].u = 1250000, v[1].f = 999; /* +250 J in 1 s */
	wl_metrics_sample(m, 0, ORIGIN + NS, v, present);
	cr_assert_float_eq(wl_metrics_component_j(m, "gpu0"), 250, 1e-9);
	om = render(m, 0);
	cr_assert_float_eq(value(om, "wattlog_power_watts{component=\"gpu0\",source=\"nvml\","
				 "channel=\"energy\",device=\"gpu0\",host=\"h1\"}"), 250, 1e-9);
	cr_assert_float_eq(value(om, "wattlog_nvml_power_draw_watts{source=\"nvml\",channel="
				 "\"power.draw\",device=\"gpu0\",host=\"h1\"}"), 999, 1e-9);
	/* the text format 0.0.4: counters typed under their _total name, no EOF */
	cr_assert(strstr(om, "# TYPE wattlog_energy_joules_total counter\n"));
	cr_assert_null(strstr(om, "# EOF"));
	cr_assert_null(strstr(om, "# UNIT"));
	free(om);
	wl_metrics_free(m);
}

Test(record_metrics, units_and_names)
{
	struct wl_chan_info ch[4] = {
		chan("procfs", "cpu_busy", "%", "cpu0", 0, 0, 1),
		chan("procfs", "mem_used_bytes", "B", "", 0, 0, 1),
		chan("nvml", "clocks.sm", "MHz", "gpu0", 0, 0, 1),
		chan("nvml", "temperature.gpu", "C", "gpu0", 0, 0, 1),
	};
	struct wl_source_desc d = { 4, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_procfs, .desc = &d };
	double x[4] = { 37.5, 4096, 1980, 61 };
	unsigned char present[4] = { 1, 1, 1, 1 };
	union wl_value v[4];
	struct wl_metrics *m;
	struct wl_error err;
	char *om;
	int i;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "a\"b", ORIGIN, &err), 0);
	for (i = 0; i < 4; i++)
		v[i].f = x[i];
	wl_metrics_sample(m, 0, ORIGIN, v, present);
	om = render(m, 1);
	/* the host label escaped: a"b -> a\"b */
	cr_assert_float_eq(value(om, "wattlog_procfs_cpu_busy_ratio{source=\"procfs\",channel="
				 "\"cpu_busy\",device=\"cpu0\",host=\"a\\\"b\"}"), 0.375, 1e-12, "%s", om);
	cr_assert_float_eq(value(om, "wattlog_procfs_mem_used_bytes{source=\"procfs\",channel="
				 "\"mem_used_bytes\",device=\"\",host=\"a\\\"b\"}"), 4096, 1e-12);
	cr_assert_float_eq(value(om, "wattlog_nvml_clocks_sm_hertz{source=\"nvml\",channel="
				 "\"clocks.sm\",device=\"gpu0\",host=\"a\\\"b\"}"), 1.98e9, 1);
	cr_assert_float_eq(value(om, "wattlog_nvml_temperature_gpu_celsius{source=\"nvml\","
				 "channel=\"temperature.gpu\",device=\"gpu0\",host=\"a\\\"b\"}"), 61, 0);
	cr_assert(strstr(om, "# UNIT wattlog_procfs_cpu_busy_ratio ratio\n"));
	cr_assert(strstr(om, "# UNIT wattlog_nvml_clocks_sm_hertz hertz\n"));
	free(om);
	wl_metrics_free(m);
}

Test(record_metrics, requests_split_equally)
{
	/* 100 W constant on gpu0, samples at 0..4 s (each adds 100 J):
	 *   begin a; +100 (a 100); begin b; +100 (a 50, b 50); end a;
	 *   +100 (b 100); end b tokens_out=10; +100 (none open: unattributed).
	 * a = 150 J, b = 150 J, unattributed 100 J; sum 300 J = 400 J - 100 J.
	 * An end without begin is counted as unmatched. */
	struct wl_chan_info ch[1] = { chan("nvml", "power.draw", "W", "gpu0", 0, 0, 1) };
	struct wl_source_desc d = { 1, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_nvml, .desc = &d };
	struct wl_metrics *m;
	struct wl_error err;
	char *om;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "h", ORIGIN, &err), 0);
	feed_f(m, 0, 0, 100);
	mark(m, "begin request a tokens_in=5");
	feed_f(m, 0, 1, 100);
	mark(m, "begin request b");
	feed_f(m, 0, 2, 100);
	mark(m, "end request a tokens_out=3");
	feed_f(m, 0, 3, 100);
	mark(m, "end request b tokens_out=10");
	mark(m, "end request zz");
	mark(m, "begin prefill");
	feed_f(m, 0, 4, 100);
	om = render(m, 1);
	cr_assert_float_eq(value(om, "wattlog_requests_total"), 2, 0, "%s", om);
	cr_assert_float_eq(value(om, "wattlog_request_energy_joules_sum"), 300, 1e-9);
	cr_assert_float_eq(value(om, "wattlog_request_energy_joules_count"), 2, 0);
	cr_assert_float_eq(value(om, "wattlog_request_energy_joules_bucket{le=\"100.0\"}"), 0, 0);
	cr_assert_float_eq(value(om, "wattlog_request_energy_joules_bucket{le=\"200.0\"}"), 2, 0);
	cr_assert_float_eq(value(om, "wattlog_request_energy_joules_bucket{le=\"+Inf\"}"), 2, 0);
	cr_assert_float_eq(value(om, "wattlog_unattributed_energy_joules_total"), 100, 1e-9);
	cr_assert_float_eq(value(om, "wattlog_request_output_tokens_total"), 13, 0);
	cr_assert_float_eq(value(om, "wattlog_request_input_tokens_total"), 5, 0);
	cr_assert_float_eq(value(om, "wattlog_request_markers_unmatched_total"), 1, 0);
	cr_assert_float_eq(value(om, "wattlog_requests_open"), 0, 0);
	cr_assert_float_eq(value(om, "wattlog_markers_total"), 6, 0);
	free(om);
	wl_metrics_free(m);
}

/* Feeds the gauges of source si the values v[0..n) at 0, 1, 2 s. */
static void feed_3(struct wl_metrics *m, size_t si, const double *v, size_t n)
{
	union wl_value x[4];
	unsigned char present[4] = { 1, 1, 1, 1 };
	size_t i, k;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < n; i++)
			x[i].f = v[i];
		wl_metrics_sample(m, si, ORIGIN + k * NS, x, present);
	}
}

Test(record_metrics, total_jetson_input_rail_alone)
{
	/* A Jetson Nano's rails, constant over 2 s: POM_5V_IN 5000 mW (the
	 * module's input, jetson_rails.h), POM_5V_GPU 1000 mW, POM_5V_CPU
	 * 1500 mW (inside it).  No request is open, so the total's energy is
	 * all unattributed: the input rail alone, 5 W x 2 s = 10 J (not
	 * 7.5 W x 2 s = 15 J). */
	struct wl_chan_info ch[3] = {
		chan("ina3221", "power", "mW", "POM_5V_IN", 0, 0, 1),
		chan("ina3221", "power", "mW", "POM_5V_GPU", 0, 0, 1),
		chan("ina3221", "power", "mW", "POM_5V_CPU", 0, 0, 1),
	};
	struct wl_source_desc d = { 3, ch, 0, NULL };
	struct wl_rec_src s = { .ops = &ops_ina3221, .desc = &d };
	const double mw[3] = { 5000, 1000, 1500 };
	struct wl_metrics *m;
	struct wl_error err;
	char *om;

	cr_assert_eq(wl_metrics_open(&m, &s, 1, "h", ORIGIN, &err), 0, "%s", err.msg);
	feed_3(m, 0, mw, 3);
	cr_assert_float_eq(wl_metrics_component_j(m, "POM_5V_GPU"), 2, 1e-9);
	om = render(m, 1);
	cr_assert_float_eq(value(om, "wattlog_unattributed_energy_joules_total"), 10, 1e-9, "%s",
			   om);
	free(om);
	wl_metrics_free(m);
}

Test(record_metrics, total_node_only_when_alone)
{
	/* An ACPI power meter at 350 W for 2 s: alone, it is the total (700 J
	 * unattributed); beside a RAPL package at 100 W it is kept apart and
	 * the total is the package's 200 J. */
	struct wl_chan_info pm[1] = { chan("power_meter", "power.average", "W", "node", 0, 0, 1) };
	struct wl_chan_info pc[1] = { chan("powercap", "package-0", "W", "package-0", 0, 0, 1) };
	struct wl_source_desc dpm = { 1, pm, 0, NULL }, dpc = { 1, pc, 0, NULL };
	struct wl_rec_src s[2] = { { .ops = &ops_power_meter, .desc = &dpm },
				   { .ops = &ops_powercap, .desc = &dpc } };
	const double node_w = 350, pkg_w = 100;
	struct wl_metrics *m;
	struct wl_error err;
	char *om;

	cr_assert_eq(wl_metrics_open(&m, s, 1, "h", ORIGIN, &err), 0, "%s", err.msg);
	feed_3(m, 0, &node_w, 1);
	om = render(m, 1);
	cr_assert_float_eq(value(om, "wattlog_unattributed_energy_joules_total"), 700, 1e-9);
	free(om);
	wl_metrics_free(m);

	cr_assert_eq(wl_metrics_open(&m, s, 2, "h", ORIGIN, &err), 0, "%s", err.msg);
	feed_3(m, 0, &node_w, 1);
	feed_3(m, 1, &pkg_w, 1);
	cr_assert_float_eq(wl_metrics_component_j(m, "node"), 700, 1e-9);
	om = render(m, 1);
	cr_assert_float_eq(value(om, "wattlog_unattributed_energy_joules_total"), 200, 1e-9);
	free(om);
	wl_metrics_free(m);
}

Test(record_metrics, family_names)
{
	struct wl_chan_info c = chan("nvml", "pcie.tx", "B/s", "gpu0", 0, 0, 1);
	char buf[112];
	const char *unit;
	double f;

	cr_assert_str_eq(wl_metric_family(&c, WL_METRIC_GAUGE, buf, sizeof(buf), &f, &unit),
			 "wattlog_nvml_pcie_tx_bytes_per_second");
	c = chan("procfs", "mem_used_bytes", "B", "", 0, 0, 1);
	cr_assert_str_eq(wl_metric_family(&c, WL_METRIC_GAUGE, buf, sizeof(buf), &f, &unit),
			 "wattlog_procfs_mem_used_bytes");
	c = chan("nvml", "pcie.link.width.current", "lanes", "gpu0", 0, 0, 1);
	cr_assert_str_eq(wl_metric_family(&c, WL_METRIC_GAUGE, buf, sizeof(buf), &f, &unit),
			 "wattlog_nvml_pcie_link_width_current");
	cr_assert_str_eq(unit, "");
	c = chan("powercap", "core", "uJ", "package-0", 1, 0, 1);
	cr_assert_str_eq(wl_metric_family(&c, WL_METRIC_COUNTER, buf, sizeof(buf), &f, &unit),
			 "wattlog_powercap_core_joules");
	cr_assert_float_eq(f, 1e-6, 1e-20);
}
