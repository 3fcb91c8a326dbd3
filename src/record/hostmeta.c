/* hostmeta.c - the recorder's own trace metadata (see rec.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "wattlog/version.h"
#include "rec.h"

/* First "model name : X" of cpuinfo into out; 0, or -1 when absent. */
static int cpu_model(const char *procfs_root, char *out, size_t outsz)
{
	char path[4096], line[1024], *p, *e;
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/cpuinfo", procfs_root);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (!*p)
			continue;
		snprintf(out, outsz, "%s", p);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

static void add(struct wl_hostmeta *m, const char *k, const char *v)
{
	if (m->n < WL_HOSTMETA_MAX) {
		m->kv[m->n].key = k;
		m->kv[m->n].value = v;
		m->n++;
	}
}

int wl_hostmeta_init(struct wl_hostmeta *m, const char *procfs_root, char *const *cmd,
		     int ncmd, uint64_t real_ns, uint64_t mono_ns, uint64_t interval_ns,
		     struct wl_error *err)
{
	struct utsname u;
	size_t len = 1;
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < ncmd; i++)
		len += strlen(cmd[i]) + 1;
	m->command = malloc(len);
	if (!m->command)
		return wl_error_set(err, "out of memory for the command line");
	m->command[0] = 0;
	for (i = 0; i < ncmd; i++) {
		if (i)
			strcat(m->command, " ");
		strcat(m->command, cmd[i]);
	}
	if (gethostname(m->hostname, sizeof(m->hostname) - 1) < 0)
		m->hostname[0] = 0;
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s %s", u.sysname, u.release);
	snprintf(m->start_real, sizeof(m->start_real), "%llu", (unsigned long long)real_ns);
	snprintf(m->start_mono, sizeof(m->start_mono), "%llu", (unsigned long long)mono_ns);
	snprintf(m->interval, sizeof(m->interval), "%llu", (unsigned long long)interval_ns);
	if (m->hostname[0])
		add(m, "hostname", m->hostname);
	if (m->kernel[0])
		add(m, "kernel", m->kernel);
	if (cpu_model(procfs_root, m->cpu_model, sizeof(m->cpu_model)) == 0)
		add(m, "cpu_model", m->cpu_model);
	add(m, "command", m->command);
	add(m, "tool_version", WL_VERSION);
	add(m, "start_realtime_ns", m->start_real);
	add(m, "start_monotonic_ns", m->start_mono);
	add(m, "interval_ns", m->interval);
	return 0;
}

void wl_hostmeta_release(struct wl_hostmeta *m)
{
	free(m->command);
	m->command = NULL;
	m->n = 0;
}
