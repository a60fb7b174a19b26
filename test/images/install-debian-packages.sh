#!/bin/sh
# Installs what the image tier needs on Debian (bookworm): buildah (builds), podman + runc (runs),
# busybox-static (the stand-in base images' root file system). For .ci/run: `sh test/images/install-debian-packages.sh`.
# Does nothing when all four are already there. Needs root (CI and the developers' machines run as root).
set -eu
missing=""
for pkg in buildah podman runc busybox-static; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
echo "installed:$missing"
