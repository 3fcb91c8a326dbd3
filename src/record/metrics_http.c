/*
 * metrics_http.c - GET /metrics over HTTP/1.1 from the sampling loop's poll
 * set (metrics.h).
 *
 * Everything is non-blocking and bounded: at most WL_HTTP_MAX_CONN
 * connections, each with a fixed WL_HTTP_REQ_MAX-byte request buffer and a
 * reply buffer sized once at attach; one read() or write() per connection
 * and a few accept()s per wake-up; WL_HTTP_TIMEOUT_NS to send the request
 * head and again to take the reply.  A head that does not fit, a client that
 * sends nothing, or one that does not read, is dropped.  When every slot is
 * busy, a new connection replaces the oldest one still sending its request
 * (so idle clients cannot lock scrapes out), or is closed.  Every reply
 * closes its connection ("Connection: close").
 *
 * A scrape costs one wake-up of the loop when the client is quick: a new
 * connection is read at once (its request is usually there by then), and a
 * reply is sent at once (a loopback socket takes it whole); poll() waits
 * only for what is not ready.  The exposition is rendered at most once per
 * change of the metrics (a sample or a marker: wl_metrics_version) and
 * format, into a buffer kept here; each reply copies it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics.h"

#define ACCEPT_BUDGET 8
#define HEAD_MAX 256 /* status line and headers of a reply */

enum { FREE, READING, WRITING };

struct conn {
	int fd;
	int state;
	uint64_t since_ns;    /* accepted, or reply started */
	size_t in_len;
	char in[WL_HTTP_REQ_MAX];
	char *out;            /* reply buffer (out_cap bytes) */
	size_t out_len, out_off;
};

struct wl_http {
	int lfd;
	const struct wl_metrics *m;
	size_t out_cap;
	char *body[2];        /* the last rendering, Prometheus text [0] and OpenMetrics [1] */
	size_t body_len[2];
	uint64_t body_ver[2]; /* wl_metrics_version it was rendered at, + 1 (0 = none) */
	char addr[80];
	struct conn c[WL_HTTP_MAX_CONN];
	size_t pf_conn[WL_HTTP_NFDS]; /* pollfd i -> connection, SIZE_MAX: listener */
};

static void drop(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = FREE;
	c->in_len = c->out_len = c->out_off = 0;
}

static int split_addr(const char *addr, char *host, size_t hsz, const char **port)
{
	const char *colon;
	size_t n;

	if (addr[0] == '[') {
		const char *rb = strchr(addr, ']');

		if (!rb || rb[1] != ':')
			return -1;
		n = (size_t)(rb - addr - 1);
		if (n >= hsz)
			return -1;
		memcpy(host, addr + 1, n);
		host[n] = 0;
		*port = rb + 2;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || colon == addr || strchr(addr, ':') != colon)
			return -1;
		n = (size_t)(colon - addr);
		if (n >= hsz)
			return -1;
		memcpy(host, addr, n);
		host[n] = 0;
		*port = colon + 1;
	}
	if (!**port || strspn(*port, "0123456789") != strlen(*port) || strlen(*port) > 5 ||
	    atol(*port) > 65535)
		return -1;
	return 0;
}

static void bound_name(struct wl_http *h)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[64], serv[16];

	memset(&ss, 0, sizeof(ss));
	if (getsockname(h->lfd, (struct sockaddr *)&ss, &len) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV))
		return;
	snprintf(h->addr, sizeof(h->addr), ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host,
		 serv);
}

int wl_http_open(struct wl_http **out, const char *addr, int privileged_ok, struct wl_error *err)
{
	struct addrinfo hints, *ai = NULL;
	struct wl_http *h;
	const char *port;
	char host[64];
	int one = 1, rc, e;
	size_t i;

	*out = NULL;
	if (split_addr(addr, host, sizeof(host), &port) < 0)
		return wl_error_set(err, "bad metrics address '%s': expected ADDR:PORT, e.g. "
				    "127.0.0.1:9464 or [::1]:9464", addr);
	if (!privileged_ok && atol(port) > 0 && atol(port) < 1024)
		return wl_error_set(err, "refusing to listen on '%s' under sudo: a port below 1024 "
				    "needs root's rights", addr);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc)
		return wl_error_set(err, "cannot listen on '%s': %s", addr, gai_strerror(rc));
	h = calloc(1, sizeof(*h));
	if (!h) {
		freeaddrinfo(ai);
		return wl_error_set(err, "out of memory");
	}
	for (i = 0; i < WL_HTTP_MAX_CONN; i++)
		h->c[i].fd = -1;
	h->lfd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->lfd < 0 ||
	    setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(h->lfd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(h->lfd, 16) < 0) {
		e = errno;
		freeaddrinfo(ai);
		wl_http_close(h);
		return wl_error_errno(err, e, "cannot listen on '%s'", addr);
	}
	freeaddrinfo(ai);
	snprintf(h->addr, sizeof(h->addr), "%s", addr);
	bound_name(h);
	*out = h;
	return 0;
}

const char *wl_http_address(const struct wl_http *h)
{
	return h->addr;
}

int wl_http_attach(struct wl_http *h, const struct wl_metrics *m, struct wl_error *err)
{
	size_t i;

	h->out_cap = HEAD_MAX + wl_metrics_max_bytes(m);
	for (i = 0; i < 2; i++) {
		h->body[i] = malloc(wl_metrics_max_bytes(m));
		if (!h->body[i])
			return wl_error_set(err, "out of memory for the metrics replies");
	}
	for (i = 0; i < WL_HTTP_MAX_CONN; i++) {
		h->c[i].out = malloc(h->out_cap);
		if (!h->c[i].out)
			return wl_error_set(err, "out of memory for the metrics replies");
	}
	h->m = m;
	return 0;
}

void wl_http_close(struct wl_http *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < WL_HTTP_MAX_CONN; i++) {
		drop(&h->c[i]);
		free(h->c[i].out);
	}
	free(h->body[0]);
	free(h->body[1]);
	if (h->lfd >= 0)
		close(h->lfd);
	free(h);
}

size_t wl_http_pollfds(struct wl_http *h, struct pollfd *pf, uint64_t *deadline_ns)
{
	size_t i, n = 0;

	*deadline_ns = UINT64_MAX;
	pf[n].fd = h->lfd;
	pf[n].events = POLLIN;
	pf[n].revents = 0;
	h->pf_conn[n++] = SIZE_MAX;
	for (i = 0; i < WL_HTTP_MAX_CONN; i++) {
		struct conn *c = &h->c[i];

		if (c->state == FREE)
			continue;
		pf[n].fd = c->fd;
		pf[n].events = c->state == READING ? POLLIN : POLLOUT;
		pf[n].revents = 0;
		h->pf_conn[n++] = i;
		if (c->since_ns + WL_HTTP_TIMEOUT_NS < *deadline_ns)
			*deadline_ns = c->since_ns + WL_HTTP_TIMEOUT_NS;
	}
	return n;
}

/* A free slot, else the oldest connection still reading (dropped), else NULL. */
static struct conn *slot(struct wl_http *h)
{
	struct conn *old = NULL;
	size_t i;

	for (i = 0; i < WL_HTTP_MAX_CONN; i++) {
		if (h->c[i].state == FREE)
			return &h->c[i];
		if (h->c[i].state == READING && (!old || h->c[i].since_ns < old->since_ns))
			old = &h->c[i];
	}
	if (old)
		drop(old);
	return old;
}

static void read_some(struct wl_http *h, struct conn *c, uint64_t now);

static void accept_some(struct wl_http *h, uint64_t now)
{
	int k, fd;

	for (k = 0; k < ACCEPT_BUDGET; k++) {
		struct conn *c;

		fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a client gone before accept: nothing to do */
		c = slot(h);
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->state = READING;
		c->since_ns = now;
		c->in_len = 0;
		read_some(h, c, now); /* the request is often there already */
	}
}

/* The value of header `name` in the head (NUL-terminated), or NULL. */
static const char *header(const char *head, const char *name, size_t *len)
{
	const char *p = strchr(head, '\n');
	size_t n = strlen(name);

	while (p && *++p) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;

			while (*v == ' ' || *v == '\t')
				v++;
			e = strchr(v, '\n');
			*len = e ? (size_t)(e - v) : strlen(v);
			return v;
		}
		p = strchr(p, '\n');
	}
	return NULL;
}

static int contains(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what), i;

	for (i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, what, k))
			return 1;
	return 0;
}

static void write_some(struct conn *c);

/* The exposition in format om, rendered again only when the metrics changed. */
static const char *exposition(struct wl_http *h, int om, size_t *len)
{
	uint64_t v = wl_metrics_version(h->m) + 1;

	if (h->body_ver[om] != v) {
		h->body_len[om] = wl_metrics_render(h->m, om, h->body[om],
						    wl_metrics_max_bytes(h->m));
		h->body_ver[om] = v;
	}
	*len = h->body_len[om];
	return h->body[om];
}

static void reply(struct wl_http *h, struct conn *c, uint64_t now, const char *status,
		  const char *type, int body_metrics, int om, const char *text)
{
	size_t body = 0;
	int n;

	if (body_metrics)
		text = exposition(h, om, &body);
	else
		body = strlen(text);
	n = snprintf(c->out, HEAD_MAX,
		     "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", status, type, body);
	memcpy(c->out + n, text, body);
	c->out_len = (size_t)n + body;
	c->out_off = 0;
	c->state = WRITING;
	c->since_ns = now;
	shutdown(c->fd, SHUT_RD);
	write_some(c); /* a loopback socket usually takes it all at once */
}

/* A whole head is in c->in: answers it. */
static void handle(struct wl_http *h, struct conn *c, uint64_t now)
{
	const char *acc, *path;
	size_t alen = 0, plen;
	int om;

	if (strncmp(c->in, "GET ", 4)) {
		reply(h, c, now, "405 Method Not Allowed", "text/plain; charset=utf-8", 0, 0,
		      "only GET /metrics\n");
		return;
	}
	path = c->in + 4;
	plen = strcspn(path, " ?\r\n");
	if (plen != 8 || strncmp(path, "/metrics", 8)) {
		reply(h, c, now, "404 Not Found", "text/plain; charset=utf-8", 0, 0,
		      "wattlog-record serves GET /metrics\n");
		return;
	}
	if (!h->m) {
		reply(h, c, now, "503 Service Unavailable", "text/plain; charset=utf-8", 0, 0,
		      "not recording yet\n");
		return;
	}
	/* OpenMetrics unless the client asks for the text format only */
	acc = header(c->in, "Accept", &alen);
	om = !acc || contains(acc, alen, "application/openmetrics-text") ||
	     !contains(acc, alen, "text/plain");
	reply(h, c, now, "200 OK",
	      om ? "application/openmetrics-text; version=1.0.0; charset=utf-8" :
		   "text/plain; version=0.0.4; charset=utf-8", 1, om, NULL);
}

static void read_some(struct wl_http *h, struct conn *c, uint64_t now)
{
	ssize_t n;

	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c); /* closed before a whole request, or an error */
		return;
	}
	c->in_len += (size_t)n;
	c->in[c->in_len] = 0;
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n"))
		handle(h, c, now);
	else if (c->in_len == sizeof(c->in) - 1)
		drop(c); /* a head this long is not a scrape */
}

static void write_some(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		drop(c);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len)
		drop(c);
}

void wl_http_serve(struct wl_http *h, const struct pollfd *pf, size_t n, uint64_t now_ns)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct conn *c;

		if (!pf[i].revents)
			continue;
		if (h->pf_conn[i] == SIZE_MAX) {
			accept_some(h, now_ns);
			continue;
		}
		c = &h->c[h->pf_conn[i]];
		if (c->fd != pf[i].fd)
			continue; /* replaced by accept_some in this round */
		if (c->state == READING)
			read_some(h, c, now_ns);
		else if (c->state == WRITING)
			write_some(c);
	}
	for (i = 0; i < WL_HTTP_MAX_CONN; i++)
		if (h->c[i].state != FREE && now_ns >= h->c[i].since_ns + WL_HTTP_TIMEOUT_NS)
			drop(&h->c[i]);
}
