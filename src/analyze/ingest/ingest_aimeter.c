/*
 * ingest_aimeter.c - AIMeter's CSV output (Huang et al.): `timestamp`
 * (local time "YYYY-MM-DD HH:MM:SS.f", no zone: opts->tz or this machine's
 * zone), `task_name`, `name`, `index`, then metrics in any order with their
 * unit inside each cell ("77.56 W", "57.00 °C", "0.05 GB/s" = GiB/s).
 * The work is done by the shared GPU-CSV reader (ingest_gpucsv.c); this
 * file says which columns are host-wide.
 */
#include <string.h>

#include "wattlog/units.h"
#include "wattlog/ingest.h"

/* cpu_power/dram_power are RAPL power converted by AIMeter (W) and count
 * as the "cpu"/"dram" energy components; cpu_usage/dram_usage are host
 * percentages (no component). */
static int aimeter_host(const char *name, const char **device, const char **component)
{
	static const char *const host[][3] = {
		{ "cpu_power", "cpu", "cpu" },
		{ "dram_power", "dram", "dram" },
		{ "cpu_usage", "cpu", "" },
		{ "dram_usage", "dram", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(host) / sizeof(host[0]); i++) {
		if (!strcmp(name, host[i][0])) {
			*device = host[i][1];
			*component = host[i][2];
			return 1;
		}
	}
	return 0;
}

int wl_ingest_aimeter(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		      struct wl_error *err)
{
	static const struct wl_gpucsv_cfg cfg = { "aimeter", aimeter_host };

	if (wl_gpucsv_read(path, o, &cfg, ds, err))
		return -1;
	if (wl_dataset_find(ds, "power.draw", NULL) < 0)
		wl_dataset_warn(ds, "'%s': no power.draw column: no GPU energy", path);
	return 0;
}

/* A CSV header with the columns task_name, index and timestamp. */
static int sniff(const char *head, size_t n, const char *line1)
{
	(void)head;
	(void)n;
	return wl_unit_header_has(line1, "task_name") && wl_unit_header_has(line1, "index") &&
	       wl_unit_header_has(line1, "timestamp");
}

const struct wl_format wl_format_aimeter = {
	.name = "aimeter",
	.binary = 0,
	.sniff = sniff,
	.read = wl_ingest_aimeter,
	.help =
		"AIMeter's CSV: columns in any order, units inside the values, one row per GPU "
		"per sample",
};
