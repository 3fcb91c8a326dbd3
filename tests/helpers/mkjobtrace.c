/*
 * mkjobtrace.c - one node's trace of a synthetic Slurm job (truth in
 * tests/unit/job_fixture.h), for the end-to-end tests:
 *   mkjobtrace OUT NODE JOBID NODELIST MONO0_S REAL0_S PERIOD_S N CPU_W GPU_W
 *              NODE_W MARKER_T END(0/1)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../unit/job_fixture.h"

int main(int argc, char **argv)
{
	struct job_node_spec s;

	if (argc != 14) {
		fprintf(stderr, "usage: mkjobtrace OUT NODE JOBID NODELIST MONO0_S REAL0_S "
			"PERIOD_S N CPU_W GPU_W NODE_W MARKER_T END\n");
		return 2;
	}
	s.node = argv[2];
	s.job_id = argv[3];
	s.nodelist = argv[4];
	s.mono0 = (uint64_t)(atof(argv[5]) * 1e9);
	s.real0 = (uint64_t)(atof(argv[6]) * 1e9);
	s.period_s = atof(argv[7]);
	s.n = (size_t)atol(argv[8]);
	s.cpu_w = atof(argv[9]);
	s.gpu_w = atof(argv[10]);
	s.node_w = atof(argv[11]);
	s.node_j0 = 1000;
	s.marker_t = atof(argv[12]);
	s.end_record = atoi(argv[13]);
	return job_write_node(argv[1], &s) ? 1 : 0;
}
