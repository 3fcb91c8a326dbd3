/* record.c - placeholder until the recorder lands. */
#include <stdio.h>

#include "wattlog/record.h"

int wl_record_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "wattlog-record: not built yet\n");
	return 2;
}
