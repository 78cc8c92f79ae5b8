#!/bin/sh
# Installs what NeuroLoom needs, builds it and runs it: the desktop app when a
# display exists, otherwise the headless demo, which prints what it computed.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec ./build/app/neuroloom "$@"
fi
echo "No display found: simulating and training bundled examples headless."
./build/app/neuroloom-cli demo "$@"
echo
exec ./build/app/neuroloom-cli train resources/examples/x_squared_training.nlproj
