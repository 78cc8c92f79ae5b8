#!/bin/sh
# Configures and builds NeuroLoom (Release, Ninja) into ./build.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${NEUROLOOM_BUILD_TYPE:-Release}" >/dev/null
cmake --build build
