#!/bin/sh
# Installs what consort needs, if anything is missing; safe to run again (does nothing then).
#   sh tests/deps.sh        the Debian packages to build consort (the README's first command)
#   sh tests/deps.sh test   those, plus what the browser test and the fuzz targets need (the README's
#                           test command, CI)
set -eu
PACKAGES="cmake make gcc pkg-config libglpk-dev libcjson-dev libcmocka-dev libcsv-dev libmicrohttpd-dev libsqlite3-dev libqrencode-dev"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ "${1:-}" = "test" ] || exit 0

# The end-to-end browser test (tests/e2e): Node.js and npm (any origin), Debian's Chromium, and
# playwright-core as pinned by tests/e2e/package-lock.json (it never downloads a browser of its own).
web=""
# libxml2 (Debian) parses the HTML/SVG output back as XML in the unit tests.
dpkg-query -W -f='${Status}' libxml2-dev 2>/dev/null | grep -q "ok installed" || web="libxml2-dev"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || web="$web nodejs npm"
command -v chromium >/dev/null 2>&1 || web="$web chromium"
# The fuzz targets (tests/fuzz, run by CI): clang and its libFuzzer/sanitizer runtimes.
for p in clang libclang-rt-14-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || web="$web $p"
done
if [ -n "$web" ]; then
	echo "installing:$web" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $web >/dev/null
fi
e2e="$(dirname "$0")/e2e"
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
	echo "installing: playwright-core (npm ci in tests/e2e)" >&2
	npm ci --prefix "$e2e" --no-audit --no-fund --loglevel=error >/dev/null
fi
