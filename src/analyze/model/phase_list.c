/* phase_list.c - the list of phases (see phases.h). */
#include <math.h>
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
	for (i = 0; i < pl->nattr; i++)
		free(pl->attr[i].text);
	free(pl->attr);
	free(pl->p);
	wl_phase_list_init(pl);
}

double wl_phase_attr_num(const struct wl_phase_list *pl, const struct wl_phase *w,
			 const char *key, const char **text)
{
	size_t i = w->nattr;

	if (text)
		*text = NULL;
	while (i-- > 0) {
		const struct wl_phase_attr *a = &pl->attr[w->attr0 + i];

		if (!strcmp(a->key, key)) {
			if (text)
				*text = a->text;
			return a->num;
		}
	}
	return NAN;
}
