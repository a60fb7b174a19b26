#!/bin/sh
# Entrypoint of our stand-in Lambda base images (never of a real one): runs the image's CMD, a Lambda
# handler name, once, through the language's emulator in /var/runtime. The contract (event on stdin or
# in $STANDIN_EVENT_FILE, exactly one JSON document on stdout, exit codes) is documented at the top of
# bootstrap.mjs and bootstrap.py. The real images' entrypoint starts the Runtime Interface Emulator
# instead; there is none here.
if [ "$#" -lt 1 ]; then
  echo "usage: /lambda-entrypoint.sh HANDLER   (event on stdin or in \$STANDIN_EVENT_FILE)" >&2
  exit 64
fi
if [ -f /var/runtime/bootstrap.mjs ]; then
  exec /var/lang/bin/node /var/runtime/bootstrap.mjs "$@"
fi
exec /var/lang/bin/python3 /var/runtime/bootstrap.py "$@"
