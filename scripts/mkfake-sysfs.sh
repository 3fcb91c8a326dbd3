#!/bin/sh
# mkfake-sysfs.sh DIR - writes a fake sysfs root at DIR (replacing it) with
#   class/powercap: intel-rapl with 2 packages x (package, core, uncore, dram)
#                   and an intel-rapl-mmio duplicate of package-0;
#   bus/event_source/devices/power: the perf "power" PMU (type, cpumask
#                   "0,2", events energy-{pkg,cores,ram,gpu,psys} + .scale/.unit);
#   devices/system/cpu/cpu{0,1,2,3}/topology: packages 0,0,1,1.
# The PMU's type (4242) is one no kernel has, so perf_event_open on it fails.
# fixtures/sysfs/two-pkg is this script's output.
set -e
[ -n "$1" ] || { echo "usage: mkfake-sysfs.sh DIR" >&2; exit 2; }
R=$1
rm -rf "$R"
P=$R/class/powercap
mkdir -p "$P/intel-rapl" "$P/intel-rapl-mmio"
echo 1 > "$P/intel-rapl/enabled"
echo 1 > "$P/intel-rapl-mmio/enabled"
mk() { # dir name energy_uj max_energy_range_uj enabled
	mkdir -p "$P/$1"
	echo "$2" > "$P/$1/name"
	echo "$3" > "$P/$1/energy_uj"
	echo "$4" > "$P/$1/max_energy_range_uj"
	echo "$5" > "$P/$1/enabled"
}
mk intel-rapl:0       package-0 187412345678 262143328850 1
mk intel-rapl:0:0     core       93210987654 262143328850 1
mk intel-rapl:0:1     uncore      1234567890 262143328850 1
mk intel-rapl:0:2     dram       23456789012  65712999613 0
mk intel-rapl:1       package-1 176543210987 262143328850 1
mk intel-rapl:1:0     core       88765432109 262143328850 1
mk intel-rapl:1:1     uncore      1198765432 262143328850 1
mk intel-rapl:1:2     dram       22345678901  65712999613 1
mk intel-rapl-mmio:0  package-0 187412000000 262143328850 1

E=$R/bus/event_source/devices/power
mkdir -p "$E/events"
echo 4242 > "$E/type"
echo 0,2 > "$E/cpumask"
ev() { # event config
	echo "event=$2" > "$E/events/energy-$1"
	echo 2.3283064365386962890625e-10 > "$E/events/energy-$1.scale"
	echo Joules > "$E/events/energy-$1.unit"
}
ev cores 0x01
ev pkg 0x02
ev ram 0x03
ev gpu 0x04
ev psys 0x05
for c in 0 1 2 3; do
	T=$R/devices/system/cpu/cpu$c/topology
	mkdir -p "$T"
	echo $((c / 2)) > "$T/physical_package_id"
	echo 0 > "$T/die_id"
done
