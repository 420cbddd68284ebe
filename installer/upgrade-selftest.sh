#!/bin/sh
# Upgrade a workstation from a genuinely older release, then roll back, with the real
# installer, real bundles, real encrypted stores and the real command line:
#
#   sh installer/upgrade-selftest.sh BUNDLE_B [RELEASE_A]
#
# BUNDLE_B is the bundle of this tree (make bundle-check builds it). RELEASE_A, a commit
# of this repository (5c89976 by default: release 0.1.0, schema v6), is taken out of the
# history with git archive. It had no installer of its own, so its bundle is built by
# today's installer/build_bundle.py from its source: today's scripts, A's kit and A's
# dependencies. Then:
#   1. install A; A provisions the demo site and admits a patient (AVANT);
#   2. install B; B opens the store (migration to its schema, a pre-upgrade copy kept)
#      and admits a second patient (APRES);
#   3. install.sh --rollback --data: B puts its pre-upgrade copy back, A is current;
#   4. A opens the store and shows exactly what it left (same census, audit chain
#      intact, no APRES); the upgraded store, APRES included, is kept aside (B reads it).
# Needs git history and the package index (to build A's bundle); the installs use none.
# BUILD_PYTHON (default python3) runs build_bundle.py; it needs pip.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE_B=$(cd "$1" && pwd)
RELEASE_A=${2:-5c89976}
BUILD_PYTHON=${BUILD_PYTHON:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'upgrade-selftest: FAILED: %s\n' "$*" >&2; exit 1; }

step "release A ($RELEASE_A) from this repository's history"
git -C "$ROOT" cat-file -e "$RELEASE_A^{commit}" 2>/dev/null \
  || fail "commit $RELEASE_A absent from $ROOT (a shallow clone? git fetch --unshallow)"
git -C "$ROOT" log -1 --format='%h %cs %s' "$RELEASE_A" | cut -c1-100
SRC_A="$WORK/release-a"
mkdir "$SRC_A"
git -C "$ROOT" archive "$RELEASE_A" | tar -x -C "$SRC_A"
mkdir -p "$SRC_A/installer"
for f in build_bundle.py install.sh install.ps1 site-exemple.toml README.md; do
  cp "$ROOT/installer/$f" "$SRC_A/installer/$f"
done
rm -rf "$SRC_A/installer/launchers"
cp -R "$ROOT/installer/launchers" "$SRC_A/installer/launchers"
# A's English translations, compiled as its Makefile did (not kept in git).
LRELEASE="$(dirname "$BUILD_PYTHON")/pyside6-lrelease"
if [ -f "$SRC_A/app/i18n/continuity_en.ts" ] && [ -x "$LRELEASE" ]; then
  "$LRELEASE" -silent "$SRC_A/app/i18n/continuity_en.ts" -qm "$SRC_A/app/i18n/continuity_en.qm"
fi
PYVER=$("$BUILD_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$BUILD_PYTHON" "$SRC_A/installer/build_bundle.py" --out "$WORK/dist-a" --targets linux-x86_64 \
  --python "$PYVER" > "$WORK/build-a.log" 2>&1 || { cat "$WORK/build-a.log"; fail "building A's bundle"; }
tail -2 "$WORK/build-a.log"
BUNDLE_A=$(cd "$WORK"/dist-a/continuity-kit-* && pwd)
VERSION_A=$(cat "$BUNDLE_A/VERSION")
VERSION_B=$(cat "$BUNDLE_B/VERSION")
[ "$VERSION_A" != "$VERSION_B" ] || fail "A and B carry the same version number ($VERSION_A)"

export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 CONTINUITY_HOME="$WORK/data"
PREFIX="$WORK/kit"
KIT="$PREFIX/bin/continuity"
run_as() { user=$1 password=$2; shift 2; CONTINUITY_PASSWORD=$password "$KIT" "$@" --user "$user"; }

step "install A ($VERSION_A, no index)"
sh "$BUNDLE_A/install.sh" --prefix "$PREFIX" --no-launcher
[ "$("$KIT" --version)" = "continuity $VERSION_A" ]

step "A provisions the demo site and admits a patient"
"$KIT" demo --patients 6 > /dev/null
run_as ide.urg demo-urg-2026 admit --uf URG --birth-name Avant --first-names Alice \
  --birth-date 01/02/1960 --sex F
run_as crise demo-crise-2026 census --json > "$WORK/census-a.json"
grep -q '"AVANT"' "$WORK/census-a.json"

step "install B ($VERSION_B) over it"
sh "$BUNDLE_B/install.sh" --prefix "$PREFIX" --no-launcher
[ "$("$KIT" --version)" = "continuity $VERSION_B" ]
[ "$(readlink "$PREFIX/current")" = "versions/$VERSION_B" ]
[ "$(cat "$PREFIX/previous")" = "$VERSION_A" ]
[ "$(cat "$PREFIX/versions/$VERSION_A/BUILD-ID")" = "$(sha256sum "$BUNDLE_A/SHA256SUMS" | cut -d' ' -f1)" ]

step "B opens the store (migrated, pre-upgrade copy kept) and admits a second patient"
run_as crise demo-crise-2026 census --json > "$WORK/census-b1.json"
grep -q '"AVANT"' "$WORK/census-b1.json"
set -- "$WORK"/data/avant-mise-a-jour/*/copie.json
[ $# -eq 1 ] && [ -f "$1" ] || fail "one pre-upgrade copy expected: $*"
cat "$1"; echo
grep -q "\"upgraded_by_kit\": \"$VERSION_B\"" "$1"
run_as ide.urg demo-urg-2026 admit --uf URG --birth-name Apres --first-names Bruno \
  --birth-date 03/04/1970 --sex M
run_as crise demo-crise-2026 census --json > "$WORK/census-b2.json"
grep -q '"APRES"' "$WORK/census-b2.json"

step "install.sh --rollback --data: the store before B, and A current again"
sh "$BUNDLE_B/install.sh" --prefix "$PREFIX" --rollback --data "$WORK/data"
[ "$(readlink "$PREFIX/current")" = "versions/$VERSION_A" ]
[ "$(cat "$PREFIX/previous")" = "$VERSION_B" ]

step "A opens the store and shows exactly what it left"
[ "$("$KIT" --version)" = "continuity $VERSION_A" ]
run_as crise demo-crise-2026 census --json > "$WORK/census-a2.json"
cmp "$WORK/census-a.json" "$WORK/census-a2.json" || fail "A's census changed across the upgrade and rollback"
if grep -q '"APRES"' "$WORK/census-a2.json"; then fail "the admission made with B is in A's store"; fi
run_as admin demo-admin-2026 audit verify
run_as ide.urg demo-urg-2026 admit --uf URG --birth-name Ensuite --first-names Claire \
  --birth-date 05/06/1980 --sex F > /dev/null   # A works on it as before

step "the upgraded store, with the admission made with B, is kept aside"
set -- "$WORK"/data/apres-mise-a-jour/*
[ $# -eq 1 ] && [ -f "$1/continuity.db" ] || fail "one set-aside store expected: $*"
cp -R "$1" "$WORK/aside"                         # read a copy: what was kept stays as it is
CONTINUITY_PASSWORD=demo-crise-2026 "$PREFIX/versions/$VERSION_B/bin/continuity" --data "$WORK/aside" \
  census --json --user crise > "$WORK/census-aside.json"
grep -q '"APRES"' "$WORK/census-aside.json"
grep -q '"AVANT"' "$WORK/census-aside.json"
printf '\nupgrade-selftest: OK (%s -> %s -> %s)\n' "$VERSION_A" "$VERSION_B" "$VERSION_A"
