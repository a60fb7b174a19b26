#!/bin/sh
# Installs what the delivery tier needs beyond the image tier's packages (test/images/install-debian-packages.sh):
# Debian's docker-registry (the local registry the scripts push to), and from PyPI the AWS CLI and moto's
# server (the ECR the scripts read), at the versions the tier was written against. For .ci/run:
# `sh test/delivery/install.sh`. Does nothing when they are there. Needs root for apt-get.
set -eu
if ! command -v docker-registry >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # the package's service is not started: the tier starts its own registry on a free port
  apt-get install -y -qq docker-registry >/dev/null
  echo "installed: docker-registry"
fi
missing=""
command -v aws >/dev/null 2>&1 || missing="$missing awscli==1.45.11"
command -v moto_server >/dev/null 2>&1 || missing="$missing moto[server]==5.2.1"
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore $missing
  echo "installed:$missing"
fi
