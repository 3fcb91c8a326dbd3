/*
 * fuzz_aimeter.c - libFuzzer target for the aimeter ingester: any bytes give a
 * dataset with finite, non-decreasing times per channel or a one-line error
 * with the file and a position (fuzz_ingest.h).  Built by tests/fuzz/run.sh.
 */
#define FUZZ_FORMAT "aimeter"
#include "fuzz_ingest.h"
