/* version.h - the version both programs print and write into traces. */
#ifndef WATTLOG_VERSION_H
#define WATTLOG_VERSION_H
#define WL_VERSION "0.1.0"
#endif
