#!/bin/sh
# Installs what the arm64 image tier (`npm run test:images:arm64`) needs on an x86_64 Debian (bookworm)
# machine, and registers the emulator with the kernel: qemu-user-static (runs arm64 programs: the
# stand-ins' interpreters, the Dockerfiles' RUN steps, the function containers), mmdebstrap (the arm64
# Debian root the stand-ins take CPython, libstdc++ and busybox from), g++-aarch64-linux-gnu (cross-compiles
# the Node.js runtime interface client's native addon). For .ci/run: `sh test/images/install-arm64-emulation.sh`.
# Idempotent; needs root. Does nothing on an arm64 machine.
set -eu
[ "$(uname -m)" = "x86_64" ] || exit 0
missing=""
for pkg in qemu-user-static mmdebstrap g++-aarch64-linux-gnu; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
  echo "installed:$missing"
fi

# binfmt_misc: arm64 ELF files run through /usr/bin/qemu-aarch64-static. The F flag makes the kernel open
# the interpreter now, so that it also works inside containers and chroots, which do not have it; the
# package's own entry names /usr/libexec/qemu-binfmt/aarch64-binfmt-P, which is not always there.
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
entry="$binfmt/qemu-aarch64"
if [ -e "$entry" ] && grep -qx 'interpreter /usr/bin/qemu-aarch64-static' "$entry" && grep -q '^flags: .*F' "$entry"; then
  exit 0
fi
[ -e "$entry" ] && echo -1 > "$entry"
line=$(grep '^:qemu-aarch64:' /usr/lib/binfmt.d/qemu-aarch64.conf | sed 's|:[^:]*:[^:]*$|:/usr/bin/qemu-aarch64-static:POF|')
printf '%s\n' "$line" > "$binfmt/register"
echo "registered qemu-aarch64 (binfmt_misc, flags POF)"
