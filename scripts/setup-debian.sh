#!/bin/sh
# Installs every Debian 12 package NeuroLoom needs to build, test and run.
# Run as root on a fresh machine; safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
# zipcmp, zipmerge, ziptool: Debian 12's libzip CMake config refuses to load without them.
PACKAGES="build-essential cmake ninja-build ccache pkg-config \
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev \
  libeigen3-dev libtbb-dev nlohmann-json3-dev libmuparser-dev \
  libzip-dev zipcmp zipmerge ziptool zlib1g-dev libhdf5-dev"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends $missing
fi
