#!/bin/sh
# install-deps.sh [--runtime] - installs the Debian 12 packages wattlog's
# build, tests, benchmarks and demo need, when they are missing.  As root it
# runs apt-get; otherwise it prints the command to run.
#
# --runtime: only what the installed programs need to run (wattlog-record
# needs the C library alone; wattlog needs these shared libraries):
#   libgsl27 libcsv3 libcairo2 libjson-c5
#
# Default, everything the build and the tests need:
#
#   build-essential pkg-config   compiler, make, pkg-config
#   libgsl-dev                   statistics, Pearson correlation, power-model fits
#   libcsv-dev                   the CSV reader
#   libcairo2-dev                figures (PNG, PDF, SVG)
#   libjson-c-dev                the JSON report, the power-model file
#   libcriterion-dev             unit tests
#   python3                      the independent trace reader and marker helper tests
#   poppler-utils                pdfinfo/pdffonts/pdftotext checks of the PDF figures
#   texlive-latex-base           pdflatex: t52 typesets a single-width figure in a
#                                two-column page and looks for an overfull box
#   clang libclang-rt-14-dev     fuzz targets (libFuzzer) and the clang -Werror build
#   clang-tools-14               scan-build, clang's static analyzer, in CI
#   python3-pandas python3-matplotlib   the comparison halves of `make bench`
#   time bc                      wall time and peak memory in `make bench`
#   slurmd slurmctld slurmdbd slurm-client munge mariadb-server
#                                a real two-node Slurm cluster on 127.0.0.1 for the
#                                cluster tests and demo (scripts/slurm-local.sh)
#   debhelper dpkg-dev lintian   `make deb` (dh, compat 13; dpkg-buildpackage) and
#                                the lintian check of the package (t16)
#   prometheus                   t85: a real Prometheus (and promtool) scraping
#                                wattlog-record --metrics-listen on 127.0.0.1
set -e
PKGS="build-essential pkg-config libgsl-dev libcsv-dev libcairo2-dev libjson-c-dev
libcriterion-dev python3 poppler-utils texlive-latex-base clang libclang-rt-14-dev clang-tools-14 python3-pandas
python3-matplotlib time bc
slurmd slurmctld slurmdbd slurm-client munge mariadb-server
debhelper dpkg-dev lintian
prometheus"
case $1 in
--runtime) PKGS="libgsl27 libcsv3 libcairo2 libjson-c5" ;;
"") ;;
*) echo "usage: install-deps.sh [--runtime]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing:$missing"
	echo "run: sudo apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# no init system here: package scripts must not start services (the tests
# start exactly the daemons they need, by PID)
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq $missing
