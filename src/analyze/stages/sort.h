/* sort.h - private to src/analyze/stages: order statistics of long series. */
#ifndef WATTLOG_ANALYZE_SORT_H
#define WATTLOG_ANALYZE_SORT_H

#include <stddef.h>

/* Sorts v[0..n) ascending (NaN must not occur) with an LSD radix sort on
 * the IEEE-754 bit patterns.  0, or -1 when out of memory (v unchanged). */
int wl_sort_doubles(double *v, size_t n);

/* The k-th smallest of v[0..n) (k < n, no NaN), reordering v
 * (quickselect, expected O(n)). */
double wl_select_double(double *v, size_t n, size_t k);

#endif
