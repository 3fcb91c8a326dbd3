/*
 * rapl_shared.h - what the two RAPL sources share: the perf_event source
 * ("rapl", perf_power.c) and the powercap source (powercap.c).
 *
 * The recorder tries rapl first: when it is open the powercap source stands
 * down (its ops' stands_down_for, decided by the registry), so the same
 * counters are never recorded twice.  Libc only.
 */
#ifndef WATTLOG_RAPL_SHARED_H
#define WATTLOG_RAPL_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "wattlog/error.h"

/*
 * Fills err with why the RAPL energy file at path could not be opened or
 * read (errnum: an errno) and returns -1:
 *   EACCES, EPERM: "<path>: permission denied (root only since Linux 5.10)"
 *   otherwise:     "cannot read '<path>': <strerror>"
 */
int wl_rapl_open_error(struct wl_error *err, const char *path, int errnum);

/* One perf_event to open: one event of the power PMU on one package. */
struct wl_perf_event {
	char event[48];  /* sysfs event name, e.g. "energy-pkg" */
	uint64_t config; /* from events/<event>: "event=0x02" */
	double scale;    /* from events/<event>.scale: joules per count */
	char unit[16];   /* from events/<event>.unit: "Joules" */
	int cpu;         /* a CPU of the package (from the PMU's cpumask) */
	char name[64];   /* channel name: "package-0", "core", "dram", "psys", ... */
	char device[32]; /* "package-N" ("package-N-die-M"), "psys" for psys */
};

/*
 * Reads the power PMU under <sysfs_root>/bus/event_source/devices/power:
 * type, cpumask, events/energy-* with .scale and .unit, and each mask CPU's
 * package from <sysfs_root>/devices/system/cpu/cpuN/topology/
 * physical_package_id (die_id when a package appears twice).  Lists one
 * entry per (package, event), except energy-psys: once, on the first CPU.
 * Names: energy-pkg -> "package-N", energy-cores -> "core", energy-ram ->
 * "dram", energy-psys -> "psys", energy-gpu -> "gpu-igpu", any other
 * energy-X -> "X".  Returns 0 with *type, *ev (caller frees) and *n >= 1, or
 * -1 with err, e.g. "no power PMU under /sys/bus/event_source/devices".
 */
int wl_perf_power_scan(const char *sysfs_root, uint32_t *type, struct wl_perf_event **ev,
		       size_t *n, struct wl_error *err);

#endif
