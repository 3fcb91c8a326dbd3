/* report.c - placeholder until the module lands: it refuses, never pretends. */
#include <stdio.h>

#include "wattlog/commands.h"

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "wattlog report: not built yet\n");
	return 2;
}
