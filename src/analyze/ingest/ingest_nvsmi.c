/*
 * ingest_nvsmi.c - `nvidia-smi --query-gpu=timestamp,index,power.draw,...
 * --format=csv[,nounits] -lms N`: header "power.draw [W]" (or "power.draw"
 * when the query had no unit), cells "82.37 W" or "82.37", "[N/A]" and
 * "[Not Supported]" absent; ", " separators; timestamps local
 * "YYYY/MM/DD HH:MM:SS.mmm"; several GPUs interleaved, told apart by
 * `index`, else by uuid / pci.bus_id.  The shared GPU-CSV reader
 * (ingest_gpucsv.c) does the work; nvidia-smi has no host-wide columns.
 */
#include <string.h>
#include "wattlog/units.h"
#include "wattlog/ingest.h"

int wl_ingest_nvsmi(const char *path, const struct wl_ingest_opts *o, struct wl_dataset *ds,
		    struct wl_error *err)
{
	static const struct wl_gpucsv_cfg cfg = { "nvidia-smi", NULL };

	if (wl_gpucsv_read(path, o, &cfg, ds, err))
		return -1;
	if (wl_dataset_find(ds, "power.draw", NULL) < 0 &&
	    wl_dataset_find(ds, "power.draw.instant", NULL) < 0 &&
	    wl_dataset_find(ds, "power.draw.average", NULL) < 0)
		wl_dataset_warn(ds, "'%s': no power.draw column: no GPU energy", path);
	return 0;
}

/* A CSV header with `timestamp` and a --query-gpu field (power.draw,
 * utilization.gpu, ...), or ", " separators with a "[unit]" header such as
 * "power.draw [W]". */
static int sniff(const char *head, size_t n, const char *line1)
{
	static const char *const fields[] = {
		"power.draw", "power.draw.instant", "power.draw.average", "utilization.gpu",
		"temperature.gpu", "clocks.sm", "clocks.current.sm", "memory.used",
		"pci.bus_id", "uuid", "pstate", "enforced.power.limit",
	};
	size_t i;

	(void)head;
	(void)n;
	if (!wl_unit_header_has(line1, "timestamp"))
		return 0;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (wl_unit_header_has(line1, fields[i]))
			return 1;
	return strstr(line1, ", ") && strchr(line1, '[');
}

const struct wl_format wl_format_nvsmi = {
	.name = "nvidia-smi",
	.aliases = "nvsmi",
	.binary = 0,
	.sniff = sniff,
	.read = wl_ingest_nvsmi,
	.help =
		"`nvidia-smi --query-gpu=... --format=csv[,nounits]`, several GPUs interleaved, "
		"`[N/A]` and `[Not Supported]` cells absent",
};
