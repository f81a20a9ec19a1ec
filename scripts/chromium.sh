#!/bin/sh
# Installs Debian's Chromium for the browser tests when it is missing
# (about 90 s once). .ci/run calls it; on a laptop run it once, or the
# browser tests skip with a loud message.
set -eu
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then exit 0; fi
for c in /usr/bin/chromium chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then exit 0; fi
done
echo "installing chromium for the browser tests (apt-get, about 90 s)..."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium >/dev/null ||
	{ $SUDO apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium >/dev/null; }
command -v chromium >/dev/null
