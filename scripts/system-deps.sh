#!/bin/sh
# Install the Debian packages backcoach needs, only when they are missing.
#   system-deps.sh run   -> Pango (WeasyPrint's text layout, for the PDF report and handout)
#   system-deps.sh test  -> the above plus Chromium (the browser tests drive /usr/bin/chromium)
#                           and Caddy (the clinic's TLS reverse proxy, tests/clinic/test_proxy_e2e.py;
#                           on a machine with systemd, Debian's package also starts a caddy service
#                           on port 80: `systemctl disable --now caddy` if that is not wanted)
# Nothing is downloaded at run time: these come from the machine's own package registry.
set -eu
want=""
if ! ldconfig -p | grep -q 'libpango-1.0.so.0'; then want="$want libpango-1.0-0 libpangoft2-1.0-0"; fi
if ! fc-list 2>/dev/null | grep -qi 'dejavu'; then want="$want fonts-dejavu-core"; fi
if [ "${1:-run}" = "test" ] && [ ! -x /usr/bin/chromium ]; then want="$want chromium"; fi
if [ "${1:-run}" = "test" ] && ! command -v caddy >/dev/null; then want="$want caddy"; fi
[ -z "$want" ] && exit 0
echo "Installing Debian packages:$want"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Please install these Debian packages (as root):$want" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $want >/dev/null
