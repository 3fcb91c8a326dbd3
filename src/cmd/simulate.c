/* simulate.c - placeholder until the module lands: it refuses, never pretends. */
#include <stdio.h>

#include "wattlog/commands.h"

int cmd_simulate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "wattlog simulate: not built yet\n");
	return 2;
}
