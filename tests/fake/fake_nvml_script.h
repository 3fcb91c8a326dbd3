/*
 * fake_nvml_script.h - the script behind the fake NVML library (included
 * once, by tests/fake/fake_nvml.c): its parser, the fake devices, and the
 * value each call answers.
 *
 * Script: one directive per line, '#' starts a comment.
 *
 *     driver 550.54.15            nvmlSystemGetDriverVersion
 *     nvml_version 12.550.54.15   nvmlSystemGetNVMLVersion
 *     init_error 9                nvmlInit_v2 returns 9
 *     gpm_slots 333               nvmlGpmMetricsGet writes this many metric
 *                                 slots (as newer drivers do)
 *     device                      starts the next device (index 0, 1, ...)
 *     name NVIDIA H100 80GB HBM3  (rest of line) also: uuid, pci
 *     nvlinks 4                   field 91; NVLink fields answer links 0..3
 *     lost_after 5                power call 6 and every later call on the
 *                                 device return NVML_ERROR_GPU_IS_LOST
 *     lost                        lost from the start
 *     KEY BASE [STEP]             the k-th call (k = 0, 1, ...) answers
 *                                 BASE + k * STEP
 *     KEY list V0 V1 ...          the k-th call answers Vk (the last repeats)
 *     KEY unsupported             NVML_ERROR_NOT_SUPPORTED (also the default
 *                                 for a KEY never named)
 *     KEY error CODE              every call returns CODE
 *     ... after N error CODE      (suffix) calls after the first N return CODE
 *
 * KEYs: power power_instant energy temp_gpu temp_mem util_gpu util_mem
 * clock_gr clock_sm clock_mem max_clock_gr max_clock_sm max_clock_mem
 * mem_total mem_used pcie_gen pcie_width pcie_tx_kbs pcie_rx_kbs
 * pcie_tx_bytes pcie_rx_bytes nvlink_tx nvlink_rx (KiB per link)
 * gpm (isSupportedDevice) gpm_sm_active gpm_sm_occupancy gpm_tensor
 * gpm_fp16 gpm_fp32 gpm_fp64 gpm_dram clocks_event_reasons power_limit
 * power_limit_min power_limit_max power_limit_default mig persistence
 * proc_sm_self proc_sm_other (nvmlDeviceGetProcessUtilization: one sample
 * whose pid is the caller's own, smUtil proc_sm_self, and one of pid 1,
 * smUtil proc_sm_other; a value < 0 leaves that sample out, both < 0 is
 * NVML_ERROR_NOT_FOUND).
 * One call answering several values (utilization, memory, limits) takes its
 * return code from the first key and counts each key once.
 */
#ifndef FAKE_NVML_SCRIPT_H
#define FAKE_NVML_SCRIPT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/record/source/nvml_api.h"

#define MAXDEV 8
#define MAXLIST 64

#define KEYS(X) X(power) X(power_instant) X(energy) X(temp_gpu) X(temp_mem) X(util_gpu) \
	X(util_mem) X(clock_gr) X(clock_sm) X(clock_mem) X(max_clock_gr) X(max_clock_sm) \
	X(max_clock_mem) X(mem_total) X(mem_used) X(pcie_gen) X(pcie_width) X(pcie_tx_kbs) \
	X(pcie_rx_kbs) X(pcie_tx_bytes) X(pcie_rx_bytes) X(nvlink_tx) X(nvlink_rx) X(gpm) \
	X(gpm_sm_active) X(gpm_sm_occupancy) X(gpm_tensor) X(gpm_fp16) X(gpm_fp32) \
	X(gpm_fp64) X(gpm_dram) X(clocks_event_reasons) X(power_limit) X(power_limit_min) \
	X(power_limit_max) X(power_limit_default) X(mig) X(persistence) X(proc_sm_self) \
	X(proc_sm_other)
#define ENUM(k) K_##k,
#define NAME(k) #k,
enum { KEYS(ENUM) NKEYS };
static const char *const key_names[] = { KEYS(NAME) };

struct spec {
	int set;       /* named in the script */
	int status;    /* return code when not 0 */
	int is_list, n;
	double base, step, list[MAXLIST];
	unsigned after; /* > 0: calls after this many return after_code */
	int after_code;
};

struct nvmlDevice_st {
	char name[96], uuid[96], pci[32];
	unsigned nvlinks, lost_after;
	int lost;
	struct spec spec[NKEYS];
	unsigned calls[NKEYS];
};

struct nvmlGpmSample_st {
	struct nvmlDevice_st *dev;
	unsigned seq;
};

static struct nvmlDevice_st devs[MAXDEV];
static unsigned ndev, gpm_slots = 98;
static int init_error, loaded;
static char driver[80] = "550.54.15", nvml_ver[80] = "12.550.54.15";

/* k-th answer of key; returns the call's code and counts the call */
static int val(struct nvmlDevice_st *d, int key, double *v)
{
	struct spec *s = &d->spec[key];
	unsigned k = d->calls[key];

	*v = 0;
	if (!s->set)
		return NVML_ERROR_NOT_SUPPORTED;
	if (s->status)
		return s->status;
	if (s->after && k >= s->after)
		return s->after_code;
	d->calls[key]++;
	if (s->is_list)
		*v = s->list[k < (unsigned)s->n ? k : (unsigned)s->n - 1];
	else
		*v = s->base + s->step * k;
	return NVML_SUCCESS;
}

static int parse_spec(struct spec *s, char **tok, int nt)
{
	int i = 0;

	memset(s, 0, sizeof(*s));
	s->set = 1;
	if (nt < 1)
		return -1;
	if (!strcmp(tok[0], "unsupported")) {
		s->status = NVML_ERROR_NOT_SUPPORTED;
		return 0;
	}
	if (!strcmp(tok[0], "error")) {
		s->status = nt > 1 ? atoi(tok[1]) : NVML_ERROR_UNKNOWN;
		return 0;
	}
	if (!strcmp(tok[0], "list")) {
		s->is_list = 1;
		for (i = 1; i < nt && strcmp(tok[i], "after") && s->n < MAXLIST; i++)
			s->list[s->n++] = strtod(tok[i], NULL);
		if (s->n == 0)
			return -1;
	} else {
		s->base = strtod(tok[0], NULL);
		i = 1;
		if (i < nt && strcmp(tok[i], "after"))
			s->step = strtod(tok[i++], NULL);
	}
	if (i < nt) {
		if (strcmp(tok[i], "after") || i + 2 >= nt || strcmp(tok[i + 2], "error"))
			return -1;
		s->after = (unsigned)atoi(tok[i + 1]);
		s->after_code = i + 3 < nt ? atoi(tok[i + 3]) : NVML_ERROR_UNKNOWN;
	}
	return 0;
}

static int parse_line(char *line, int lineno, const char *path)
{
	struct nvmlDevice_st *d = ndev ? &devs[ndev - 1] : NULL;
	char *tok[MAXLIST + 8], *word, *rest, *p;
	size_t len;
	int nt = 0, k;

	if ((p = strchr(line, '#')))
		*p = 0;
	len = strlen(line);
	while (len && strchr(" \t\r\n", line[len - 1]))
		line[--len] = 0;
	word = line + strspn(line, " \t");
	if (!*word)
		return 0;
	rest = word + strcspn(word, " \t");
	if (*rest)
		*rest++ = 0;
	rest += strspn(rest, " \t");
	if (!strcmp(word, "device")) {
		if (ndev == MAXDEV)
			goto bad;
		memset(&devs[ndev++], 0, sizeof(devs[0]));
		return 0;
	}
	if (!strcmp(word, "driver"))
		return snprintf(driver, sizeof(driver), "%s", rest), 0;
	if (!strcmp(word, "nvml_version"))
		return snprintf(nvml_ver, sizeof(nvml_ver), "%s", rest), 0;
	if (!strcmp(word, "init_error"))
		return init_error = atoi(rest), 0;
	if (!strcmp(word, "gpm_slots")) {
		gpm_slots = (unsigned)atoi(rest);
		return gpm_slots > WL_NVML_GPM_SLOTS ? (gpm_slots = 98, -1) : 0;
	}
	if (!d)
		goto bad;
	if (!strcmp(word, "name"))
		return snprintf(d->name, sizeof(d->name), "%s", rest), 0;
	if (!strcmp(word, "uuid"))
		return snprintf(d->uuid, sizeof(d->uuid), "%s", rest), 0;
	if (!strcmp(word, "pci"))
		return snprintf(d->pci, sizeof(d->pci), "%s", rest), 0;
	if (!strcmp(word, "nvlinks"))
		return d->nvlinks = (unsigned)atoi(rest), 0;
	if (!strcmp(word, "lost"))
		return d->lost = 1, 0;
	if (!strcmp(word, "lost_after"))
		return d->lost_after = (unsigned)atoi(rest), 0;
	for (p = strtok(rest, " \t"); p && nt < MAXLIST + 8; p = strtok(NULL, " \t"))
		tok[nt++] = p;
	for (k = 0; k < NKEYS; k++)
		if (!strcmp(word, key_names[k])) {
			if (parse_spec(&d->spec[k], tok, nt) < 0)
				goto bad;
			return 0;
		}
bad:
	fprintf(stderr, "fake-nvml: %s:%d: cannot parse '%s'\n", path, lineno, word);
	return -1;
}

static int load(void)
{
	const char *path = getenv("WATTLOG_FAKE_NVML");
	char line[4096];
	int lineno = 0;
	FILE *f;

	if (loaded)
		return 0;
	ndev = 0;
	init_error = 0;
	gpm_slots = 98;
	if (!path || !(f = fopen(path, "r")))
		return NVML_ERROR_DRIVER_NOT_LOADED;
	while (fgets(line, sizeof(line), f))
		if (parse_line(line, ++lineno, path) < 0) {
			fclose(f);
			return NVML_ERROR_UNKNOWN;
		}
	fclose(f);
	loaded = 1;
	return 0;
}

#endif
