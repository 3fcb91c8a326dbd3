/* info.h - private to src/cmd: `wattlog info` of one trace (info_trace.c). */
#ifndef WATTLOG_CMD_INFO_H
#define WATTLOG_CMD_INFO_H

/* Prints what the trace at path holds to stdout.  0 clean, 1 damage found
 * (listed), 2 unreadable (one line on stderr). */
int wl_info_trace(const char *path);

#endif
