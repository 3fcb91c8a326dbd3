/* record.h - wattlog-record: the recorder's entry point (src/record/). */
#ifndef WATTLOG_RECORD_H
#define WATTLOG_RECORD_H

/* Parses the command line, runs the command, records; returns the exit
 * status: the command's (128+N if it died of signal N), or 2 on bad usage
 * and 1 when recording could not start. */
int wl_record_main(int argc, char **argv);

#endif
