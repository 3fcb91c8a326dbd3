/* phase_list.c - the list of phases (see phases.h). */
#include <stdlib.h>
#include <string.h>

#include "wattlog/phases.h"

void wl_phase_list_init(struct wl_phase_list *pl)
{
	memset(pl, 0, sizeof(*pl));
}

void wl_phase_list_release(struct wl_phase_list *pl)
{
	size_t i;

	for (i = 0; i < pl->nnotes; i++)
		free(pl->notes[i]);
	free(pl->notes);
	free(pl->p);
	wl_phase_list_init(pl);
}
