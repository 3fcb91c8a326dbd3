/*
 * fuzz_rapltrace.c - libFuzzer target for the rapl-trace ingester: any bytes give a
 * dataset with finite, non-decreasing times per channel or a one-line error
 * with the file and a position (fuzz_ingest.h).  Built by tests/fuzz/run.sh.
 */
#define FUZZ_FORMAT "rapl-trace"
#include "fuzz_ingest.h"
