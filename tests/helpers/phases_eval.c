/*
 * phases_eval.c - accuracy of automatic phases on simulated traces.
 *
 *     phases_eval [--max N] [--check]
 *
 * Simulates a grid of schedules x GPUs x noise levels x sampling periods x
 * seeds (270 traces; --max N takes N of them spread over the grid), runs
 * wl_phases_auto on each, and compares with the schedule itself (the truth
 * by construction, not the trace's markers):
 *   - per sample of power.draw: the true phase (the schedule's phase holding
 *     t) against the found label; precision and recall per class (idle,
 *     prefill, decode) over all traces, and their minimum over classes;
 *   - per true boundary between two different phases: the distance to the
 *     nearest found boundary, in sampling periods; the median over all.
 * Prints the figures and the time per trace; with --check, exits 1 unless
 * min precision and min recall >= 0.95 and median boundary error <= 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wattlog/phases.h"
#include "wattlog/simulate.h"

static const char *const schedules[] = {
	"idle 2s, prefill 8s, idle 15s, decode 17s",
	"idle 3s, prefill 2s, decode 10s, idle 5s",
	"prefill 4s, decode 6s, idle 2s, prefill 3s, decode 8s, idle 3s",
	"idle 5s, decode 20s, idle 5s",
	"idle 1s, prefill 1500ms, decode 5s, idle 2s, prefill 1s, decode 4s, idle 1s",
};
static const char *const gpus[] = { "A100", "H100" };
static const double noises[] = { 0.01, 0.02, 0.05 };
static const double periods[] = { 0.05, 0.1, 0.25 };
#define NSEEDS 3
#define NS (sizeof(schedules) / sizeof(schedules[0]))
#define NG (sizeof(gpus) / sizeof(gpus[0]))
#define NN (sizeof(noises) / sizeof(noises[0]))
#define NP (sizeof(periods) / sizeof(periods[0]))
#define NTOTAL (NS * NG * NN * NP * NSEEDS)

static const char *const classes[] = { "idle", "prefill", "decode" };

static int class_of(const char *label)
{
	int c;

	for (c = 0; c < 3; c++)
		if (!strcmp(label, classes[c]))
			return c;
	return 3; /* active / other */
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	size_t maxn = NTOTAL, idx, done = 0, conf[4][4] = { { 0 } };
	size_t nerr = 0, caperr = 4096;
	double *berr = malloc(caperr * sizeof(*berr)), t_run = 0;
	double minp = 1, minr = 1;
	int check = 0, i, c;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max") && i + 1 < argc)
			maxn = (size_t)atol(argv[++i]);
		else if (!strcmp(argv[i], "--check"))
			check = 1;
		else {
			fprintf(stderr, "usage: phases_eval [--max N] [--check]\n");
			return 2;
		}
	}
	if (!maxn || maxn > NTOTAL)
		maxn = NTOTAL;
	for (idx = 0; idx < maxn; idx++) {
		/* Spread maxn picks over the grid (a stride coprime with it). */
		size_t g = maxn == NTOTAL ? idx : (idx * 97) % NTOTAL, q = g;
		size_t is = q % NS, ig, in, ip, seed, k, j;
		struct wl_sim_schedule s;
		struct wl_sim_opts o;
		struct wl_dataset ds;
		struct wl_phase_list pl;
		struct wl_error err;
		const struct wl_channel *pw;
		double t0, *bound;
		size_t nbound = 0;

		q /= NS, ig = q % NG, q /= NG, in = q % NN, q /= NN, ip = q % NP, q /= NP;
		seed = q;
		wl_sim_schedule_init(&s);
		if (wl_sim_schedule_parse(schedules[is], "schedule", &s, &err) < 0) {
			fprintf(stderr, "phases_eval: %s\n", err.msg);
			return 2;
		}
		wl_sim_opts_init(&o);
		o.gpu = wl_sim_gpu_find(gpus[ig]);
		o.noise = noises[in];
		o.period_s = periods[ip];
		o.jitter_s = 0.05 * periods[ip];
		o.seed = 1000 + g * 7919 + seed;
		wl_dataset_init(&ds);
		wl_phase_list_init(&pl);
		if (wl_simulate(&s, &o, &ds, &err) < 0) {
			fprintf(stderr, "phases_eval: %s\n", err.msg);
			return 2;
		}
		t0 = now_s();
		if (wl_phases_auto(&ds, NULL, &pl, &err) < 0) {
			fprintf(stderr, "phases_eval: %s\n", err.msg);
			return 2;
		}
		t_run += now_s() - t0;
		pw = &ds.ch[wl_dataset_find(&ds, "power.draw", "gpu0")];
		for (k = 0; k < pw->n; k++) {
			double t = pw->t[k], acc = 0;
			int tc = 0, pc = 3;

			for (j = 0; j < s.n; j++) {
				if (t < acc + s.p[j].dur_s || j + 1 == s.n) {
					tc = class_of(s.p[j].label);
					break;
				}
				acc += s.p[j].dur_s;
			}
			for (j = 0; j < pl.n; j++)
				if (t >= pl.p[j].start_s && (t < pl.p[j].end_s || j + 1 == pl.n)) {
					pc = class_of(pl.p[j].label);
					break;
				}
			conf[tc][pc]++;
		}
		bound = malloc((pl.n + 1) * sizeof(*bound));
		for (j = 1; j < pl.n; j++)
			bound[nbound++] = pl.p[j].start_s;
		for (j = 1, t0 = s.p[0].dur_s; j < s.n; t0 += s.p[j].dur_s, j++) {
			double best = INFINITY;

			if (!strcmp(s.p[j].label, s.p[j - 1].label))
				continue;
			for (k = 0; k < nbound; k++)
				best = fmin(best, fabs(bound[k] - t0));
			if (nerr == caperr)
				berr = realloc(berr, (caperr *= 2) * sizeof(*berr));
			berr[nerr++] = best / o.period_s;
		}
		free(bound);
		wl_phase_list_release(&pl);
		wl_dataset_release(&ds);
		wl_sim_schedule_release(&s);
		done++;
	}
	printf("traces: %zu (grid of %zu schedules x %zu gpus x %zu noise x %zu periods x %d "
	       "seeds)\n", done, NS, NG, NN, NP, NSEEDS);
	for (c = 0; c < 3; c++) {
		size_t tp = conf[c][c], np = 0, nt = 0;
		double p, r;

		for (i = 0; i < 4; i++) {
			np += conf[i][c];
			nt += conf[c][i];
		}
		p = np ? (double)tp / (double)np : 1;
		r = nt ? (double)tp / (double)nt : 1;
		minp = fmin(minp, p);
		minr = fmin(minr, r);
		printf("%-8s precision %.4f recall %.4f (%zu samples)\n", classes[c], p, r, nt);
	}
	qsort(berr, nerr, sizeof(*berr), cmp_d);
	{
		double med = nerr ? (nerr % 2 ? berr[nerr / 2]
				    : 0.5 * (berr[nerr / 2 - 1] + berr[nerr / 2])) : NAN;
		double p90 = nerr ? berr[(size_t)(0.9 * (double)(nerr - 1))] : NAN;

		printf("precision (min over classes): %.4f\n", minp);
		printf("recall (min over classes): %.4f\n", minr);
		printf("boundary error: median %.2f, p90 %.2f sample periods (%zu boundaries)\n",
		       med, p90, nerr);
		printf("time per trace: %.3f ms (wl_phases_auto only)\n",
		       1e3 * t_run / (double)(done ? done : 1));
		free(berr);
		if (check && !(minp >= 0.95 && minr >= 0.95 && med <= 1.0)) {
			printf("FAILED: thresholds are precision, recall >= 0.95, median "
			       "boundary error <= 1 period\n");
			return 1;
		}
	}
	return 0;
}
