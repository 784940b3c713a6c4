#!/bin/sh
# Installs the Debian packages consort needs to build and test, if any are missing.
# Used by the README's two commands and by CI; safe to run again (does nothing then).
set -eu
PACKAGES="cmake make gcc pkg-config libglpk-dev libcjson-dev libcmocka-dev libcsv-dev"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
