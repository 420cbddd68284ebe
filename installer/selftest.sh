#!/bin/sh
# Install a bundle into a fresh place with no index, then prove the kit works there:
# doctor, provisioning from the example site file, an admission, the census, an
# exercise, an encrypted backup restored on a "replacement" workstation, a
# reinstall over the first one (the same bundle), another build with the same version
# number refused, --rollback and forward. Used by CI:  sh installer/selftest.sh dist/.../continuity-kit-X
set -eu
BUNDLE=$(cd "$1" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1
KIT="$WORK/kit/bin/continuity"
step() { printf '\n== %s\n' "$*"; }

step "install (no index)"
sh "$BUNDLE/install.sh" --prefix "$WORK/kit" --no-launcher
"$KIT" --version

step "provision from the example site file"
export CONTINUITY_HOME="$WORK/data" CONTINUITY_NEW_PASSWORD=chef-info-2026
"$KIT" init --site "$BUNDLE/site-exemple.toml" --workstation URG-01 --admin chef.info > "$WORK/init.txt"
grep -q "RECOVERY KEY" "$WORK/init.txt"
export CONTINUITY_PASSWORD=chef-info-2026
CONTINUITY_NEW_PASSWORD=ide-urg-2026 "$KIT" user add ide.urg --role ward_staff --uf URG --user chef.info

step "a common password refused (the list is in the bundle)"
if CONTINUITY_NEW_PASSWORD=Soleil2026! "$KIT" user add ide.x --role ward_staff --uf URG --user chef.info \
    2> "$WORK/common.txt"; then
  echo "a common password was accepted"; exit 1
fi
grep "trop courant" "$WORK/common.txt" > /dev/null

step "record and read back"
# grep > /dev/null, not grep -q: -q stops reading at the first match, and the kit then
# writes into a closed pipe (BrokenPipeError on its stderr).
CONTINUITY_PASSWORD=ide-urg-2026 "$KIT" admit --uf URG --bed U01 --birth-name Essai \
  --first-names Jeanne --birth-date 12/03/1950 --sex F --user ide.urg
CONTINUITY_PASSWORD=ide-urg-2026 "$KIT" census --user ide.urg | grep "ESSAI" > /dev/null

step "doctor"
"$KIT" doctor --user chef.info --json > "$WORK/doctor.json"
"$WORK/kit/current/bin/python" - "$WORK/doctor.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for c in report["checks"]:
    print(f"  {c['level']:<5} {c['name']:<13} {c['message_en']}")
assert report["worst"] != "fail", "doctor reports a failure"
assert {c["name"] for c in report["checks"]} >= {"sqlcipher", "integrity", "identifiers"}
PY

step "exercise in its own store"
"$KIT" exercise start --user chef.info
"$KIT" --exercise status exercise --user chef.info | grep "activé" > /dev/null
"$KIT" status exercise --user chef.info | grep "désactivé" > /dev/null
"$KIT" exercise stop --delete --user chef.info

step "backup, restore on a replacement workstation"
mkdir "$WORK/usb"
"$KIT" backup create "$WORK/usb" --user chef.info
"$KIT" --data "$WORK/replacement" backup restore "$WORK"/usb/* --user chef.info
CONTINUITY_PASSWORD=ide-urg-2026 "$KIT" --data "$WORK/replacement" census --user ide.urg | grep "ESSAI" > /dev/null

step "the same bundle again over it (allowed)"
sh "$BUNDLE/install.sh" --prefix "$WORK/kit" --no-launcher
"$KIT" doctor --user chef.info > /dev/null
VERSION=$(cat "$BUNDLE/VERSION")
BUILD=$(sha256sum "$BUNDLE/SHA256SUMS" | cut -d' ' -f1)
[ "$(cat "$WORK/kit/versions/$VERSION/BUILD-ID")" = "$BUILD" ]

step "another build with the same version number is refused, the installed one untouched"
cp -R "$BUNDLE" "$WORK/rebuilt"
printf '\nrebuilt\n' >> "$WORK/rebuilt/README-INSTALL.md"
(cd "$WORK/rebuilt" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort | xargs sha256sum > SHA256SUMS)
STATUS=0
sh "$WORK/rebuilt/install.sh" --prefix "$WORK/kit" --no-launcher 2> "$WORK/refused.txt" || STATUS=$?
cat "$WORK/refused.txt"
[ "$STATUS" -eq 3 ]
grep -q "REFUSÉ / REFUSED" "$WORK/refused.txt"
grep -q "$BUILD" "$WORK/refused.txt"
[ "$(cat "$WORK/kit/versions/$VERSION/BUILD-ID")" = "$BUILD" ]
rm -rf "$WORK/rebuilt"
"$KIT" doctor --user chef.info > /dev/null

step "roll back to a previous version and forward again"
mkdir "$WORK/kit/versions/0.0.1"                  # stands for an older release kept there
printf '0.0.1\n' > "$WORK/kit/previous"
sh "$BUNDLE/install.sh" --prefix "$WORK/kit" --rollback
[ "$(readlink "$WORK/kit/current")" = "versions/0.0.1" ]
[ "$(cat "$WORK/kit/previous")" = "$VERSION" ]
sh "$BUNDLE/install.sh" --prefix "$WORK/kit" --no-launcher
[ "$(readlink "$WORK/kit/current")" = "versions/$VERSION" ]
"$KIT" doctor --user chef.info > /dev/null
printf '\nselftest: OK\n'
