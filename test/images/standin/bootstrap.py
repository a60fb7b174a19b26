"""Stand-in Lambda runtime for Python: the emulator contract of our stand-in base images.

(Runs inside the stand-in image under its own CPython 3.11/3.12/3.13; not part of the package; never used in AWS.)

Contract (shared with bootstrap.mjs; /lambda-entrypoint.sh execs this file with the image's CMD as arguments):
  /lambda-entrypoint.sh HANDLER
    HANDLER  as in Lambda: "[pkg/]module.function", the module imported from $LAMBDA_TASK_ROOT (/var/task).
  The event is the JSON text of the file named by $STANDIN_EVENT_FILE, else standard input
  (empty input means {}). One invocation per process.
  Standard output carries exactly one JSON document and nothing else: the handler's result
  (None becomes null). Everything the handler prints, even from C code or subprocesses, goes to
  standard error (file descriptor 1 is pointed at 2 while user code runs).
  Exit 0: the handler returned a result.
  Exit 1: the handler raised, or init failed; stdout is Lambda's error shape
          {"errorMessage", "errorType", "requestId", "stackTrace"}, with Lambda's names for init failures:
          Runtime.MalformedHandlerName, Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
          Runtime.HandlerNotFound, Runtime.MarshalError; and "Sandbox.Timedout" after
          $AWS_LAMBDA_FUNCTION_TIMEOUT seconds (default 3).
  Exit 64: no handler given.

The handler is resolved as the Lambda Python runtime interface client does it:
handler.rsplit(".", 1), "/" in the module part becomes ".", importlib.import_module, getattr.
The context object has Lambda's attributes; the AWS_* variables Lambda sets get defaults if unset.
"""

import decimal
import importlib
import json
import os
import signal
import sys
import time
import traceback
import uuid

result_fd = os.dup(1)
os.dup2(2, 1)  # user prints go to the logs (stderr); the result goes to the saved stdout
sys.stdout = sys.stderr


def emit(doc, code):
    os.write(result_fd, (doc + "\n").encode())
    sys.stderr.flush()
    os._exit(code)


class RuntimeFailure(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def fail(exc, request_id=None):
    error_type = getattr(exc, "error_type", None) or type(exc).__name__
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    trace = traceback.format_list(frames)
    body = {"errorMessage": str(exc), "errorType": error_type, "requestId": request_id or "", "stackTrace": trace}
    emit(json.dumps(body), 1)


def to_json(result):
    def default(o):
        if isinstance(o, decimal.Decimal):
            return float(o)
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    try:
        return json.dumps(result, default=default)
    except (TypeError, ValueError) as e:
        raise RuntimeFailure("Runtime.MarshalError", f"Unable to marshal response: {e}") from None


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise RuntimeFailure("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}") from None
    modname = modname.replace("/", ".")
    try:
        module = importlib.import_module(modname)
    except ImportError as e:
        raise RuntimeFailure("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}") from None
    except SyntaxError as e:
        raise RuntimeFailure("Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}") from None
    fn = getattr(module, fname, None)
    if fn is None:
        raise RuntimeFailure("Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'")
    return fn


class Context:
    def __init__(self, deadline_ms):
        env = os.environ
        self.function_name = env["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = env["AWS_LAMBDA_FUNCTION_VERSION"]
        self.invoked_function_arn = f"arn:aws:lambda:{env['AWS_REGION']}:000000000000:function:{self.function_name}"
        self.memory_limit_in_mb = env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "standin/[$LATEST]0"
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def read_event():
    path = os.environ.get("STANDIN_EVENT_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = sys.stdin.read()
    return json.loads(text) if text.strip() else {}


def main():
    if len(sys.argv) < 2 or not sys.argv[1]:
        sys.stderr.write("usage: /lambda-entrypoint.sh HANDLER   (event on stdin or in $STANDIN_EVENT_FILE)\n")
        os._exit(64)
    handler_name = sys.argv[1]
    for key, value in {
        "AWS_LAMBDA_FUNCTION_NAME": "standin-function",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": "3",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "_HANDLER": handler_name,
    }.items():
        os.environ.setdefault(key, value)
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    sys.path[0:1] = [task_root]  # replaces this script's own folder, as the real bootstrap's is not importable
    os.chdir(task_root)
    try:
        handler = get_handler(handler_name)
        event = read_event()
    except Exception as e:  # noqa: BLE001 - every init failure is reported in Lambda's shape
        fail(e)
        return
    seconds = float(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT") or 3)
    context = Context(time.time() * 1000 + seconds * 1000)

    def on_timeout(_sig, _frame):
        fail(RuntimeFailure("Sandbox.Timedout", f"Task timed out after {seconds:.2f} seconds"), context.aws_request_id)

    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        result = handler(event, context)
        doc = to_json(result)
    except Exception as e:  # noqa: BLE001
        fail(e, context.aws_request_id)
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    emit(doc, 0)


main()
