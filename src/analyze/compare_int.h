/* compare_int.h - private to src/analyze/compare*.c. */
#ifndef WATTLOG_COMPARE_INT_H
#define WATTLOG_COMPARE_INT_H

/*
 * The process's time zone is shared state: wl_ingest_detect and the
 * tegrastats reader convert "MM-DD-YYYY" times in zone "UTC0" through
 * setenv("TZ") + tzset(), which would change the zone under every other
 * thread's mktime.  Reading such a file therefore takes this lock
 * exclusively, every other file shared.  wl_cmp_lock returns the mode
 * taken (to pass to wl_cmp_unlock).
 */
int wl_cmp_lock(const char *path);
void wl_cmp_unlock(int mode);

#endif
