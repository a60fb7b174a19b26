#!/bin/sh
# Installs what the image tier needs on Debian (bookworm): buildah (builds), podman + runc (runs),
# slirp4netns (the published port of a running function image, without a bridge or firewall rules on the
# host), busybox-static (the stand-ins' root file system). For .ci/run: `sh test/images/install-debian-packages.sh`.
# Does nothing when all five are already there. Needs root (CI and the developers' machines run as root).
set -eu
missing=""
for pkg in buildah podman runc slirp4netns busybox-static; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
echo "installed:$missing"
