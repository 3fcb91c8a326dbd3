/*
 * sort.c - order statistics for long series: an LSD radix sort for doubles
 * (6 passes of 11 bits over keys that order like the doubles: positive:
 * sign bit set; negative: all bits inverted; all six histograms counted in
 * one read pass, passes whose digit is the same everywhere skipped), and a
 * quickselect for a single order statistic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort.h"

#define BITS 11
#define NB (1u << BITS)
#define PASSES 6

static inline uint64_t key_of(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u | 0x8000000000000000ull;
}

static inline double double_of(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & 0x7fffffffffffffffull : ~k;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int wl_sort_doubles(double *v, size_t n)
{
	uint64_t *a, *b, *mem;
	size_t (*count)[NB], i, p;

	if (n < 2048) {
		qsort(v, n, sizeof(*v), cmp_double);
		return 0;
	}
	mem = malloc(2 * n * sizeof(*mem));
	count = calloc(PASSES, sizeof(*count));
	if (!mem || !count) {
		free(mem);
		free(count);
		return -1;
	}
	a = mem;
	b = mem + n;
	for (i = 0; i < n; i++) {
		uint64_t k = key_of(v[i]);
		a[i] = k;
		for (p = 0; p < PASSES; p++)
			count[p][(k >> (BITS * p)) & (NB - 1)]++;
	}
	for (p = 0; p < PASSES; p++) {
		unsigned sh = BITS * (unsigned)p;
		size_t sum = 0, c, d;
		uint64_t *x;

		if (count[p][(a[0] >> sh) & (NB - 1)] == n)
			continue; /* one digit everywhere: nothing to move */
		for (d = 0; d < NB; d++) {
			c = count[p][d];
			count[p][d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[count[p][(a[i] >> sh) & (NB - 1)]++] = a[i];
		x = a;
		a = b;
		b = x;
	}
	for (i = 0; i < n; i++)
		v[i] = double_of(a[i]);
	free(mem);
	free(count);
	return 0;
}

static inline void swap(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

double wl_select_double(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2, i, j;
		double pivot;

		/* median of three to the middle, then Hoare partition */
		if (v[mid] < v[lo])
			swap(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap(&v[hi], &v[mid]);
		pivot = v[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swap(&v[i], &v[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j && j != (size_t)-1)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}
