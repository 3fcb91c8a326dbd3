/*
 * le.h - little-endian put/get of the trace's primitive types (trace_format.h
 * section 1).  Byte by byte, so they work on any host byte order and any
 * alignment; compilers turn them into single loads and stores on x86/arm64.
 */
#ifndef WATTLOG_TRACE_LE_H
#define WATTLOG_TRACE_LE_H

#include <stdint.h>
#include <string.h>

static inline void wl_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void wl_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void wl_put64(unsigned char *p, uint64_t v)
{
	wl_put32(p, (uint32_t)v);
	wl_put32(p + 4, (uint32_t)(v >> 32));
}

/* f64: the u64 of the IEEE 754 binary64 bits. */
static inline void wl_putf64(unsigned char *p, double d)
{
	uint64_t v;

	memcpy(&v, &d, sizeof(v));
	wl_put64(p, v);
}

static inline uint16_t wl_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t wl_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t wl_get64(const unsigned char *p)
{
	return (uint64_t)wl_get32(p) | (uint64_t)wl_get32(p + 4) << 32;
}

static inline double wl_getf64(const unsigned char *p)
{
	uint64_t v = wl_get64(p);
	double d;

	memcpy(&d, &v, sizeof(d));
	return d;
}

#endif
