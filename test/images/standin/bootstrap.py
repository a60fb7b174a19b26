# /var/runtime/bootstrap.py of the Python stand-ins: starts AWS's runtime interface client (awslambdaric,
# installed beside this file, so /var/runtime is on sys.path) for the handler named in $_HANDLER
# (argv[1]), with the function's code in $LAMBDA_TASK_ROOT ahead of everything else on sys.path.
import os
import sys

sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "/var/task"))

from awslambdaric.__main__ import main  # noqa: E402

main([sys.argv[0], *sys.argv[1:]])
