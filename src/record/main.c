/* main.c - wattlog-record's entry point (the work is in record.c). */
#include "wattlog/record.h"

int main(int argc, char **argv)
{
	return wl_record_main(argc, argv);
}
