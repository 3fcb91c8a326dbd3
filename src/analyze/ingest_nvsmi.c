/*
 * ingest_nvsmi.c - `nvidia-smi --query-gpu=timestamp,index,power.draw,...
 * --format=csv[,nounits] -lms N`: header "power.draw [W]" (or "power.draw"
 * when the query had no unit), cells "82.37 W" or "82.37", "[N/A]" and
 * "[Not Supported]" absent; ", " separators; timestamps local
 * "YYYY/MM/DD HH:MM:SS.mmm"; several GPUs interleaved, told apart by
 * `index`, else by uuid / pci.bus_id.  The shared GPU-CSV reader
 * (ingest_gpucsv.c) does the work; nvidia-smi has no host-wide columns.
 */
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
