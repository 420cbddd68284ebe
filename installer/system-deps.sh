#!/usr/bin/env bash
# Debian packages the kit needs at run and test time: the Qt runtime libraries
# for PySide6 (also offscreen), fonts with full French accent coverage, a real
# X server for the GUI tests and screenshots of real windows (Xvfb, the openbox
# window manager, xdotool for key and mouse events, xwd from x11-apps, xprop and
# xwininfo from x11-utils, xmodmap from x11-xserver-utils: tests/x11/),
# poppler-utils (pdftoppm) for page images of the paper forms, and syncthing, which
# carries the exchange folder between workstations on the crisis network (sync/syncthing.py,
# tests/test_syncthing.py). Installs only what is missing; needs root (or prints the
# command to run) and an apt source or local mirror.
set -euo pipefail

PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  libx11-6 libxcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0
  fonts-dejavu-core xvfb openbox xdotool x11-apps x11-utils x11-xserver-utils poppler-utils
  syncthing
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Paquets système manquants / missing system packages: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Installez / install: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
