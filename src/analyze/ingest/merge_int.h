/* merge_int.h - what merge.c and merge_files.c share (merge.h). */
#ifndef WATTLOG_MERGE_INT_H
#define WATTLOG_MERGE_INT_H

#include "wattlog/merge.h"

struct part {
	char *path;
	char name[64];
	struct wl_dataset ds;
	int ok;
	char problem[256];
	double t_last;   /* own axis */
	double mono_ref; /* start_monotonic - start_realtime, s, NaN = unknown */
	unsigned long damage;
};

struct parts {
	struct part *v;
	size_t n, cap;
};

/* Appends a part for path (copied); 0 or -1 (out of memory). */
int wl_merge_add_part(struct parts *p, const char *path);
/* Appends the *.wlog files of dir, sorted; 0 or -1 with err. */
int wl_merge_add_dir(struct parts *p, const char *dir, struct wl_error *err);
/* File name without folder and .wlog. */
void wl_merge_stem(const char *path, char *out, size_t cap);

#endif

