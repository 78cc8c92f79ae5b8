#!/bin/sh
# Builds the Debian package with CPack, unpacks it into a scratch root and
# checks what it installs: the files are in place and agree with each other,
# and the unpacked CLI runs the unpacked examples, finding them relative to
# itself. Exits 77 (skipped) where there are no Debian packaging tools.
# Usage: test_deb_package.sh CPACK BUILD_DIR SOURCE_DIR
set -eu
cpack=$1 build_dir=$2 source_dir=$3

for tool in dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null 2>&1; then echo "skipped: $tool is not installed"; exit 77; fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

if ! "$cpack" -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; fail "cpack could not build the package"
fi
set -- "$work"/out/*.deb
[ $# -eq 1 ] && [ -f "$1" ] || fail "cpack made no single .deb in $work/out"
deb=$1
dpkg-deb -x "$deb" "$work/root"
root=$(cd "$work/root" && pwd -P)
echo "package: $(basename "$deb")"

# Files
share=$root/usr/share
examples=$share/neuroloom/examples
for f in "$root/usr/bin/neuroloom" "$root/usr/bin/neuroloom-cli"; do
  [ -x "$f" ] || fail "$f is not an installed executable"
done
desktop=$share/applications/neuroloom.desktop
metainfo=$share/metainfo/io.github.neuroloom.NeuroLoom.metainfo.xml
for f in "$desktop" "$metainfo" "$share/icons/hicolor/scalable/apps/neuroloom.svg"; do
  [ -s "$f" ] || fail "$f is missing"
done
for size in 16 32 48 64 128 256; do
  [ -s "$share/icons/hicolor/${size}x${size}/apps/neuroloom.png" ] || fail "no ${size}x${size} application icon"
done
for project in "$source_dir"/resources/examples/*.nlproj; do
  [ -s "$examples/$(basename "$project")" ] || fail "example $(basename "$project") is not installed"
done

# The desktop entry, the metainfo and the package name the same program, icon and version.
grep -qx "Exec=neuroloom" "$desktop" || fail "$desktop does not run neuroloom"
grep -qx "Icon=neuroloom" "$desktop" || fail "$desktop does not name the neuroloom icon"
grep -q "<launchable type=\"desktop-id\">neuroloom.desktop</launchable>" "$metainfo" \
  || fail "$metainfo does not launch neuroloom.desktop"
version=$(dpkg-deb -f "$deb" Version)
grep -q "<release version=\"$version\"" "$metainfo" || fail "$metainfo has no release entry for version $version"
if command -v appstreamcli >/dev/null 2>&1; then
  appstreamcli validate --no-net "$metainfo" >"$work/appstream.log" 2>&1 || { cat "$work/appstream.log"; fail "$metainfo is not valid AppStream"; }
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$desktop" || fail "$desktop is not a valid desktop entry"
fi

# Control fields: dpkg-shlibdeps found the linked libraries, and the run-time Qt plugins are listed.
depends=$(dpkg-deb -f "$deb" Depends)
for package in libqt6widgets6 libtbb12 libmuparser2v5 libzip4 libqt6svg6 qt6-qpa-plugins; do
  echo "$depends" | grep -q "\b$package\b" || fail "Depends lacks $package: $depends"
done
[ "$(dpkg-deb -f "$deb" Section)" = science ] || fail "the package's section is not science"

# The unpacked CLI runs every unpacked example; a project's missing data file is a warning on stderr.
cli=$root/usr/bin/neuroloom-cli
unset NEUROLOOM_EXAMPLES_DIR
for project in "$examples"/*.nlproj; do
  "$cli" info "$project" >"$work/info.out" 2>"$work/info.err" || { cat "$work/info.err"; fail "info $project"; }
  [ ! -s "$work/info.err" ] || { cat "$work/info.err"; fail "info $project warned"; }
done
"$cli" simulate "$examples/squaring.nlproj" --duration 0.5 --out "$work/probes.npz" || fail "simulate squaring.nlproj"
[ -s "$work/probes.npz" ] || fail "simulate wrote no $work/probes.npz"

# Found on PATH, the CLI still finds the examples installed beside it, not the source tree's.
PATH="$root/usr/bin:$PATH" neuroloom-cli demo --duration 0.2 >"$work/demo.out" || fail "demo from PATH"
grep -qF "($examples/squaring.nlproj)" "$work/demo.out" || { cat "$work/demo.out"; fail "demo did not use $examples"; }
echo "PASS"
