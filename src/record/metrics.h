/*
 * metrics.h - the recorder's live metrics (--metrics-listen): what the
 * sampling loop has recorded so far, as OpenMetrics families (metrics.c,
 * metrics_name.c), and the small HTTP/1.1 server that serves them from the
 * loop's own poll set (metrics_http.c).  Libc only.
 *
 * Energy follows the analyzer's rule (include/wattlog/energy_rule.h) on the
 * same values the trace gets, with time measured from the trace's
 * start_monotonic_ns, so a scrape equals the trace's energy up to the last
 * sample before it (struct wl_energy_acc; its gauge gap bound is the one
 * difference, stated there and in the README).
 *
 * Requests: markers "begin request ID [key=value ...]" and "end request ID
 * [key=value ...]" (the grammar of `wattlog requests`).  The energy of each
 * interval of the total (the components energy_rule.h adds to the total) is
 * split equally among the requests open when the sample ending it arrives;
 * a request's energy is what it collected between its two markers.  A
 * completed request adds to wattlog_requests_total, to the histogram
 * wattlog_request_energy_joules and, from its tokens_in / tokens_out
 * attributes (the end marker's over the begin marker's), to
 * wattlog_request_input_tokens_total / wattlog_request_output_tokens_total.
 */
#ifndef WATTLOG_RECORD_METRICS_H
#define WATTLOG_RECORD_METRICS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "wattlog/error.h"
#include "wattlog/trace.h"

struct wl_rec_src;


#define WL_METRICS_MAX_OPEN 1024  /* open requests tracked at once */
#define WL_METRICS_ID_MAX 64      /* request id bytes kept */

/* ---------------------------------------------------------------- metrics_name.c */

/* What a channel is served as. */
enum wl_metric_role {
	WL_METRIC_ENERGY,  /* wattlog_energy_joules_total + wattlog_power_watts */
	WL_METRIC_COUNTER, /* an energy counter outside the components' best class:
			      its own <family>_total in joules */
	WL_METRIC_GAUGE,   /* its own gauge family, in the base unit */
};

/*
 * The family name of channel c as role (ignored for WL_METRIC_ENERGY:
 * "wattlog_energy_joules"): "wattlog_" SOURCE "_" NAME (characters outside
 * [A-Za-z0-9_] become '_') and the base unit's suffix: "%" -> _ratio (x 0.01),
 * C -> _celsius, Hz/kHz/MHz/GHz -> _hertz, B/KiB/MiB/GiB -> _bytes, B/s ->
 * _bytes_per_second, W family -> _watts, J family -> _joules, s/ms/us/ns ->
 * _seconds; another unit: no suffix, the value as recorded.  A name already
 * ending in the suffix does not get it twice.  *factor: raw physical value to
 * base unit; *unit: the OpenMetrics unit ("" for none).  Returns buf.
 */
const char *wl_metric_family(const struct wl_chan_info *c, enum wl_metric_role role, char *buf,
			     size_t sz, double *factor, const char **unit);

/* ---------------------------------------------------------------- metrics.c */

struct wl_metrics;

/*
 * Builds the metrics of the opened sources src[0..nsrc-1] (which must
 * outlive m): the role of each channel (a component's channels of the
 * winning class are WL_METRIC_ENERGY), families in a fixed order.  host is
 * the host label, origin_ns the trace's start_monotonic_ns.  Returns 0, or -1
 * with err set (out of memory).  All memory is taken here.
 */
int wl_metrics_open(struct wl_metrics **m, const struct wl_rec_src *src, size_t nsrc,
		    const char *host, uint64_t origin_ns, struct wl_error *err);

/* One sample of source si as written to the trace: vals[i] where present[i]. */
void wl_metrics_sample(struct wl_metrics *m, size_t si, uint64_t t_ns, const union wl_value *vals,
		       const unsigned char *present);

/* One marker as written to the trace. */
void wl_metrics_marker(struct wl_metrics *m, uint64_t t_ns, const char *text, size_t len);

/* Counts the changes of m (samples and markers): two renderings at one
 * version are the same. */
uint64_t wl_metrics_version(const struct wl_metrics *m);

/* Bytes that always hold a rendering (constant after open). */
size_t wl_metrics_max_bytes(const struct wl_metrics *m);

/*
 * Writes the exposition into buf (cap >= wl_metrics_max_bytes): OpenMetrics
 * 1.0.0 text ending "# EOF\n" when openmetrics, else Prometheus text 0.0.4.
 * Returns the length.  No allocation.
 */
size_t wl_metrics_render(const struct wl_metrics *m, int openmetrics, char *buf, size_t cap);

/* For tests: energy so far (J) of the WL_METRIC_ENERGY channels of
 * component comp added up, NaN when none has any. */
double wl_metrics_component_j(const struct wl_metrics *m, const char *comp);

/* The components whose energy comes from a counter (their
 * WL_METRIC_ENERGY channels are energy counters: RAPL, NVML's total
 * energy), in channel order, each once: up to max names into comp (they
 * live as long as m).  Returns how many. */
size_t wl_metrics_counter_components(const struct wl_metrics *m, const char **comp, size_t max);

/* The metric channel k (in source order) is served as, e.g.
 * "wattlog_energy_joules_total" or "wattlog_nvml_temperature_gpu_celsius"
 * (written to buf). */
const char *wl_metrics_channel_metric(const struct wl_metrics *m, size_t k, char *buf, size_t sz);

/* One line per fixed family (the recorder's own, requests) for --list. */
extern const char wl_metrics_fixed_families[];

void wl_metrics_free(struct wl_metrics *m);

/* ---------------------------------------------------------------- metrics_http.c */

#define WL_HTTP_MAX_CONN 4                 /* connections served at once */
#define WL_HTTP_NFDS (WL_HTTP_MAX_CONN + 1) /* poll entries: listener + connections */
#define WL_HTTP_REQ_MAX 8192               /* request head bytes, then dropped */
#define WL_HTTP_TIMEOUT_NS 2000000000ull   /* to read a request, and to write a reply */

struct wl_http;

/*
 * Listens on "ADDR:PORT" ("127.0.0.1:9464", "[::1]:9464", "localhost:0";
 * port 0 = any free port), non-blocking.  privileged_ok = 0 refuses a port
 * below 1024 (under sudo the recorder does not use root's right to bind it
 * for the user).  Returns 0, or -1 with err set ("cannot listen on
 * '127.0.0.1:80': Permission denied").
 */
int wl_http_open(struct wl_http **h, const char *addr, int privileged_ok, struct wl_error *err);

/* The address actually bound, e.g. "127.0.0.1:43117". */
const char *wl_http_address(const struct wl_http *h);

/* Serves m from now on (before: 503); allocates the reply buffers.  0 or -1. */
int wl_http_attach(struct wl_http *h, const struct wl_metrics *m, struct wl_error *err);

/* Fills pf (WL_HTTP_NFDS entries at most) with what to poll; returns how
 * many.  *deadline_ns: the earliest connection timeout (UINT64_MAX = none). */
size_t wl_http_pollfds(struct wl_http *h, struct pollfd *pf, uint64_t *deadline_ns);

/*
 * After poll: accepts (a few per call), reads and writes each ready
 * connection once, drops what timed out or misbehaved.  pf and n as
 * wl_http_pollfds filled them (revents set).  Never blocks.
 */
void wl_http_serve(struct wl_http *h, const struct pollfd *pf, size_t n, uint64_t now_ns);

/* Closes everything; NULL is a no-op. */
void wl_http_close(struct wl_http *h);

#endif
