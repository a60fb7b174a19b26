#!/bin/sh
# Installs the AWS SAM CLI (PyPI: aws-sam-cli, pinned here) into a virtual environment in the cache,
# once, with pip. Prints the path of its `sam`, which the SAM tier (test/sam/tier.ts) runs.
#   sh test/sam/install-sam-cli.sh [--print-path]   --print-path: only print where it is (or would be)
# SAM_CLI_VERSION and SAM_CLI_VENV override the version and the folder; python3 must be 3.9 or newer.
set -eu
version=${SAM_CLI_VERSION:-1.170.0}
venv=${SAM_CLI_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/create-container-lambda/sam-cli-$version}
if [ "${1:-}" = --print-path ]; then
  echo "$venv/bin/sam"
  exit 0
fi
if [ ! -x "$venv/bin/sam" ] || ! "$venv/bin/sam" --version 2>/dev/null | grep -q "version $version\$"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "aws-sam-cli==$version"
fi
echo "$venv/bin/sam"
