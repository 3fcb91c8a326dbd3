/* merge.c - placeholder until the module lands: it refuses, never pretends. */
#include <stdio.h>

#include "wattlog/commands.h"

int cmd_merge(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "wattlog merge: not built yet\n");
	return 2;
}
