#!/bin/sh
# Installs what NeuroLoom needs, builds it and runs the whole test suite.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
cd build
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2
