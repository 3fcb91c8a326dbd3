/*
 * pm_counters.h - the HPE/Cray pm_counters source (pm_counters.c), declared
 * here until source.h lists it with the others.  Libc only.
 */
#ifndef WATTLOG_PM_COUNTERS_H
#define WATTLOG_PM_COUNTERS_H

#include "wattlog/source.h"

extern const struct wl_source_ops wl_source_pm_counters;

#endif
