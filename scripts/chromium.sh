#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium (browser tests never download one).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium is missing and installing it needs root: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
/usr/bin/chromium --version
