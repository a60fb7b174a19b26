#!/bin/sh
# Unpacks Debian's testing suite (forky) into a folder, with the interpreters that bookworm and pyenv
# lack: Python 3.14 and Ruby 3.3 from forky, Ruby 3.4 from experimental. The languages tier runs the
# generated projects' tests there with chroot. Idempotent: an existing folder is kept.
#   sh test/languages/install-newer-debian.sh [folder]
set -eu
root=${1:-${NEWER_DEBIAN_ROOT:-$HOME/.cache/create-container-lambda/debian-forky}}
if [ -x "$root/usr/bin/python3.14" ] && [ -x "$root/usr/bin/ruby3.4" ]; then
  echo "newer Debian: $root (kept)"
  exit 0
fi
command -v mmdebstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }
rm -rf "$root.partial"
mkdir -p "$(dirname "$root")"
mirror=http://deb.debian.org/debian
# The mirror serves a dated snapshot, whose Release files have expired by now.
mmdebstrap --quiet --variant=apt --aptopt='Acquire::Check-Valid-Until "false"' \
  --include=ca-certificates,python3.14,python3.14-venv,ruby3.3,ruby3.4,rake,ruby-minitest \
  forky "$root.partial" "deb $mirror forky main" "deb $mirror experimental main"
# The host's CA bundle (it may hold a proxy's certificate) and resolver, for pip inside the chroot.
cp /etc/ssl/certs/ca-certificates.crt "$root.partial/etc/ssl/certs/ca-certificates.crt"
cp /etc/resolv.conf "$root.partial/etc/resolv.conf"
mv "$root.partial" "$root"
echo "newer Debian: $root"
