/*
 * fuzz_tegrastats.c - libFuzzer target for the tegrastats ingester: any bytes give a
 * dataset with finite, non-decreasing times per channel or a one-line error
 * with the file and a position (fuzz_ingest.h).  Built by tests/fuzz/run.sh.
 */
#define FUZZ_FORMAT "tegrastats"
#include "fuzz_ingest.h"
