/*
 * fuzz_detect.c - libFuzzer target for format detection followed by whichever
 * reader it picks (wl_ingest without --format): same properties as the
 * per-format targets (fuzz_ingest.h).  Built by tests/fuzz/run.sh.
 */
#define FUZZ_FORMAT NULL
#include "fuzz_ingest.h"
