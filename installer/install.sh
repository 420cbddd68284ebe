#!/bin/sh
# Install (or upgrade) the continuity kit from this offline bundle, with no network.
#
#   sh install.sh [--prefix DIR] [--no-launcher]        install or upgrade
#   sh install.sh --rollback [--prefix DIR] [--data DIR] go back to the previous version
#
# Each version goes into its own virtual environment, PREFIX/versions/VERSION;
# PREFIX/current points to the one in use and PREFIX/previous names the one before,
# so an upgrade never overwrites the working version. The store is migrated at its
# next unlock, after an encrypted copy of it is kept in DATA/avant-mise-a-jour/;
# --rollback puts that copy back (the upgraded store is moved aside, not deleted)
# and points PREFIX/current to the previous version again.
#
# An installed version is never replaced by a different build: the bundle's build
# identity (the SHA-256 of its SHA256SUMS) is kept in PREFIX/versions/VERSION/BUILD-ID,
# and a bundle with the same version number but another identity is refused (exit 3).
# The same bundle again is allowed (its environment is rebuilt). Exit codes: 0 done,
# 1 failed, 2 bad option, 3 refused.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(cat "$HERE/VERSION")
if [ "$(id -u)" -eq 0 ]; then PREFIX=/opt/continuity-kit; else
  PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}/continuity-kit"; fi
LAUNCHER=yes
ROLLBACK=no
DATA=""

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --no-launcher) LAUNCHER=no; shift ;;
    --rollback) ROLLBACK=yes; shift ;;
    --data) DATA=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "Option inconnue / unknown option: $1" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
fail() { printf 'ÉCHEC / FAILED: %s\n' "$*" >&2; exit 1; }
refuse() { printf 'REFUSÉ / REFUSED: %s\n' "$1" >&2; shift; printf '%s\n' "$@" >&2; exit 3; }

if [ "$ROLLBACK" = yes ]; then
  [ -f "$PREFIX/previous" ] || fail "aucune version précédente / no previous version in $PREFIX"
  PREVIOUS=$(cat "$PREFIX/previous")
  [ -d "$PREFIX/versions/$PREVIOUS" ] || fail "version $PREVIOUS absente / missing"
  CURRENT=$(basename "$(readlink "$PREFIX/current")")
  if [ -n "$DATA" ]; then
    # The current kit puts back the store as it was before it migrated it (if it did).
    "$PREFIX/current/bin/continuity" --data "$DATA" upgrade rollback --kit "$CURRENT" \
      || fail "retour de la base / database rollback"
  fi
  ln -sfn "versions/$PREVIOUS" "$PREFIX/current"
  printf '%s\n' "$CURRENT" > "$PREFIX/previous"
  say "Version $PREVIOUS remise en service / back in service ($CURRENT kept in $PREFIX/versions)."
  exit 0
fi

say "Vérification du paquet / checking the bundle…"
(cd "$HERE" && sha256sum --quiet -c SHA256SUMS) || fail "paquet altéré ou incomplet / bundle altered or incomplete"
# Every file must be listed: a wheel slipped in beside the others would be installed.
LISTED=$(cd "$HERE" && cut -d' ' -f3- SHA256SUMS | sort)
PRESENT=$(cd "$HERE" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort)
[ "$LISTED" = "$PRESENT" ] || fail "fichiers en trop ou manquants dans le paquet / files added to or missing from the bundle"
BUILD=$(sha256sum "$HERE/SHA256SUMS" | cut -d' ' -f1)

TARGET="$PREFIX/versions/$VERSION"
# A reinstall of this version interrupted after it moved the old copy aside: put it back.
if [ -d "$TARGET.old" ]; then rm -rf "$TARGET"; mv "$TARGET.old" "$TARGET"; fi
in_use() {
  { [ -L "$PREFIX/current" ] && [ "$(basename "$(readlink "$PREFIX/current")")" = "$1" ]; } \
    || { [ -f "$PREFIX/previous" ] && [ "$(cat "$PREFIX/previous")" = "$1" ]; }
}
if [ -e "$TARGET" ]; then
  INSTALLED=$(cat "$TARGET/BUILD-ID" 2>/dev/null || true)
  # No identity and in use nowhere: a first install of it that did not finish; redone.
  [ "$INSTALLED" = "$BUILD" ] || { [ -z "$INSTALLED" ] && ! in_use "$VERSION"; } || refuse \
    "la version $VERSION est déjà installée dans $PREFIX depuis un autre paquet ; elle n'est pas remplacée (un retour arrière doit la retrouver telle quelle). Un paquet différent doit porter un autre numéro de version." \
    "version $VERSION is already installed in $PREFIX from a different bundle; it is not replaced (a rollback must find it as it was). A different bundle must carry another version number." \
    "  installé / installed: ${INSTALLED:-aucune identité / no build identity}" \
    "  ce paquet / this bundle: $BUILD"
fi

PYTHON=${PYTHON:-}
for candidate in "$PYTHON" python3.12 python3.11 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c \
      'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PYTHON=$candidate; break
  fi
  PYTHON=""
done
[ -n "$PYTHON" ] || fail "Python 3.11 ou plus avec venv introuvable / Python 3.11+ with venv not found"

mkdir -p "$PREFIX/versions" "$PREFIX/bin"
# A venv names its interpreter by path, so it is built in place; a failed reinstall of
# the same version puts the previous copy back.
rm -rf "$TARGET.old"; [ -d "$TARGET" ] && mv "$TARGET" "$TARGET.old"
if ! { "$PYTHON" -m venv "$TARGET" && "$TARGET/bin/python" -m pip install --quiet --no-index \
    --find-links "$HERE/wheels" "continuity-kit==$VERSION" \
    && printf '%s\n' "$BUILD" > "$TARGET/BUILD-ID"; }; then
  rm -rf "$TARGET"; [ -d "$TARGET.old" ] && mv "$TARGET.old" "$TARGET"
  fail "installation des paquets / package installation"
fi
rm -rf "$TARGET.old"

if [ -L "$PREFIX/current" ]; then
  CURRENT=$(basename "$(readlink "$PREFIX/current")")
  [ "$CURRENT" != "$VERSION" ] && printf '%s\n' "$CURRENT" > "$PREFIX/previous"
fi
ln -sfn "versions/$VERSION" "$PREFIX/current"
for tool in continuity continuity-app; do
  ln -sfn "../current/bin/$tool" "$PREFIX/bin/$tool"
done

if [ "$LAUNCHER" = yes ]; then
  if [ "$(id -u)" -eq 0 ]; then APPS=/usr/share/applications; else
    APPS="${XDG_DATA_HOME:-$HOME/.local/share}/applications"; fi
  mkdir -p "$APPS"
  # Desktop-entry quoting: the path in double quotes, with \ " ` $ escaped; then escaped
  # again for sed's replacement text (\ & |).
  QUOTED=$(printf '%s' "$PREFIX/current/bin/continuity-app" | sed 's/[\\"`$]/\\\\&/g')
  REPLACEMENT=$(printf '"%s"' "$QUOTED" | sed 's/[\\&|]/\\&/g')
  for desktop in "$HERE"/launchers/*.desktop; do
    sed "s|@APP@|$REPLACEMENT|" "$desktop" > "$APPS/$(basename "$desktop")"
  done
  say "Lanceurs / launchers: $APPS"
fi

say "Kit $VERSION installé / installed in $PREFIX (commande / command: $PREFIX/bin/continuity)."
say "Vérification / check: $PREFIX/bin/continuity doctor"
