/* test_sources.c - the registry of recorder sources (src/record/sources.c)
 * is the one list: README's table of sources holds exactly its sources, in
 * its order, each row's "what it reads" the source's .help. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wattlog/source.h"

#define MAXROWS 64

/* README's rows "| `NAME` | WHAT | CHANNELS |" under "| source | what it
 * reads | channels |": names[] and whats[] (malloc'd); how many. */
static size_t readme_rows(char **names, char **whats)
{
	FILE *f = fopen("README.md", "r");
	char line[4096];
	size_t n = 0;
	int on = 0;

	cr_assert(f, "README.md (tests run in the repository root)");
	while (fgets(line, sizeof(line), f)) {
		char *a, *b, *c;

		if (!strcmp(line, "| source | what it reads | channels |\n")) {
			on = 1;
			continue;
		}
		if (!on || !strncmp(line, "|---", 4))
			continue;
		if (line[0] != '|')
			break;
		a = strstr(line, "| `");
		b = a ? strstr(a + 3, "` | ") : NULL;
		c = b ? strstr(b + 4, " | ") : NULL;
		cr_assert(c && n < MAXROWS, "README row: %s", line);
		names[n] = strndup(a + 3, (size_t)(b - a - 3));
		whats[n++] = strndup(b + 4, (size_t)(c - b - 4));
	}
	fclose(f);
	return n;
}

Test(sources, readme_table_is_the_registry)
{
	const struct wl_source_ops *const *list;
	size_t n = wl_sources(&list), m, i;
	char *names[MAXROWS], *whats[MAXROWS];

	m = readme_rows(names, whats);
	cr_assert_eq(m, n, "README lists %zu sources, the registry %zu", m, n);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(names[i], list[i]->name, "row %zu", i + 1);
		cr_assert(list[i]->help, "%s has no help", list[i]->name);
		cr_assert_str_eq(whats[i], list[i]->help, "%s", list[i]->name);
		free(names[i]);
		free(whats[i]);
	}
}
