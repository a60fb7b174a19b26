#!/bin/sh
# /lambda-entrypoint.sh of the stand-in base images, as in the official ones: the image's CMD, the
# handler name, is the one argument; it is exported as _HANDLER for the runtime interface client that
# /var/runtime/bootstrap starts. Outside Lambda (AWS_LAMBDA_RUNTIME_API unset) the Runtime Interface
# Emulator runs that bootstrap and serves POST /2015-03-31/functions/function/invocations on port 8080;
# inside Lambda the bootstrap runs directly. OS-only (provided) images get /var/runtime/bootstrap from
# the function's Dockerfile; where there is none, the executable the CMD names stands in for it.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"

RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ ! -x "$RUNTIME_ENTRYPOINT" ]; then
  case "$1" in
    /*) candidate="$1" ;;
    *) candidate="${LAMBDA_TASK_ROOT:-/var/task}/$1" ;;
  esac
  [ -f "$candidate" ] && [ -x "$candidate" ] && RUNTIME_ENTRYPOINT="$candidate"
fi
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie "$RUNTIME_ENTRYPOINT"
else
  exec "$RUNTIME_ENTRYPOINT"
fi
