/*
 * commands.h - the analyzer's subcommands, one file each in src/cmd/.
 * Each takes the arguments after the command name (argv[0] is the command),
 * parses them with getopt_long, prints `wattlog <cmd> --help` the same way,
 * and returns the exit status: 0 ok, 1 a problem in the data the command
 * reports (e.g. a partial job), 2 bad usage or malformed input.
 */
#ifndef WATTLOG_COMMANDS_H
#define WATTLOG_COMMANDS_H

#include "wattlog/cmdline.h"

int cmd_info(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_phases(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_requests(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* Each command's option table (wattlog/cmdline.h), in its file. */
extern const struct wl_cmdline wl_cmdline_report;
extern const struct wl_cmdline wl_cmdline_watch;
extern const struct wl_cmdline wl_cmdline_compare;
extern const struct wl_cmdline wl_cmdline_export;
extern const struct wl_cmdline wl_cmdline_info;
extern const struct wl_cmdline wl_cmdline_merge;
extern const struct wl_cmdline wl_cmdline_phases;
extern const struct wl_cmdline wl_cmdline_plot;
extern const struct wl_cmdline wl_cmdline_regions;
extern const struct wl_cmdline wl_cmdline_requests;
extern const struct wl_cmdline wl_cmdline_simulate;
extern const struct wl_cmdline wl_cmdline_fit;

#endif
