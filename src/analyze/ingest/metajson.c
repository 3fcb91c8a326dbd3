/*
 * metajson.c - the workload figures in a meta.json beside a trace:
 *     { "tokens": N, "input_tokens": N, "output_tokens": N,
 *       "requests": N, "flops": F, "peak_flops": F }
 * All keys optional; numbers (or numeric strings).  json-c is used here
 * (reading; also the parser of the fit model file), in the model file
 * (fit_model.c) and in the JSON report writer only.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "wattlog/analysis.h"
#include "wattlog/jsonread.h"

static int number(struct json_object *root, const char *key, double *dst, const char *path,
		  struct wl_error *err)
{
	struct json_object *v;
	char *end;
	double d;

	if (!json_object_object_get_ex(root, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
	} else if (json_object_is_type(v, json_type_string)) {
		d = strtod(json_object_get_string(v), &end);
		if (*end)
			return wl_error_set(err, "'%s': key '%s': not a number", path, key);
	} else {
		return wl_error_set(err, "'%s': key '%s': not a number", path, key);
	}
	if (!isfinite(d) || d < 0)
		return wl_error_set(err, "'%s': key '%s': bad value %g", path, key, d);
	if (isnan(*dst))
		*dst = d;
	return 0;
}

/*
 * Parses the JSON file at path with a tokener of this call's own: json-c's
 * json_object_from_file reports its errors through one process-wide buffer
 * (json_util_get_last_err), which compare's worker threads would share.
 * Returns the object (the caller puts it) or NULL with err set.
 */
struct json_object *wl_json_parse_file(const char *path, struct wl_error *err)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error je;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		wl_error_set(err, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len == cap) {
			char *p = cap >= (1u << 24) ? NULL : realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!p) {
				free(buf);
				fclose(f);
				wl_error_set(err, "'%s': larger than 16 MiB, not a meta.json", path);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		wl_error_set(err, "out of memory reading '%s'", path);
		return NULL;
	}
	root = json_tokener_parse_ex(tok, buf, (int)len);
	je = json_tokener_get_error(tok);
	if (root && je == json_tokener_success && json_tokener_get_parse_end(tok) < len &&
	    strspn(buf + json_tokener_get_parse_end(tok), " \t\r\n") <
		    len - json_tokener_get_parse_end(tok)) {
		json_object_put(root);
		root = NULL;
		wl_error_set(err, "'%s': malformed JSON: text after the object at offset %zu", path,
			     json_tokener_get_parse_end(tok));
	} else if (!root) {
		wl_error_set(err, "'%s': malformed JSON: %s at offset %zu", path,
			     je == json_tokener_continue ? "unexpected end of file"
							 : json_tokener_error_desc(je),
			     json_tokener_get_parse_end(tok));
	}
	json_tokener_free(tok);
	free(buf);
	return root;
}

int wl_metajson_read(const char *trace_path, struct wl_workload *w, int *found,
		     struct wl_error *err)
{
	static const char *const keys[] = { "tokens", "input_tokens", "output_tokens",
					    "requests", "flops", "peak_flops" };
	double *dst[] = { &w->tokens, &w->input_tokens, &w->output_tokens, &w->requests,
			  &w->flops, &w->peak_flops };
	char path[PATH_MAX];
	const char *slash = strrchr(trace_path, '/');
	struct json_object *root;
	size_t i;
	int rc = 0;

	*found = 0;
	if (slash)
		snprintf(path, sizeof(path), "%.*s/meta.json", (int)(slash - trace_path),
			 trace_path);
	else
		snprintf(path, sizeof(path), "meta.json");
	if (access(path, F_OK))
		return 0;
	root = wl_json_parse_file(path, err);
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return wl_error_set(err, "'%s': not a JSON object", path);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !rc; i++)
		rc = number(root, keys[i], dst[i], path, err);
	json_object_put(root);
	*found = !rc;
	return rc;
}

int wl_metajson_keys(const char *dir, int (*fn)(void *ctx, const char *key, const char *value),
		     void *ctx, int *found, struct wl_error *err)
{
	char path[PATH_MAX];
	struct json_object *root;
	int rc = 0;

	*found = 0;
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	if (access(path, F_OK))
		return 0;
	root = wl_json_parse_file(path, err);
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return wl_error_set(err, "'%s': not a JSON object", path);
	}
	json_object_object_foreach(root, key, val) {
		if (rc || !val || json_object_is_type(val, json_type_object) ||
		    json_object_is_type(val, json_type_array))
			continue;
		rc = fn(ctx, key, json_object_get_string(val));
	}
	json_object_put(root);
	*found = 1;
	return rc ? wl_error_set(err, "'%s': too many keys", path) : 0;
}
