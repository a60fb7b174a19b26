"""Runs a command in a pseudo-terminal and answers its prompts, for tests of interactive mode.

Usage: python3 pty_drive.py STEPS_JSON -- command args...
STEPS_JSON is a list of [pattern, keys]: wait until the screen output matches the regular
expression `pattern`, then type `keys`. Prints one JSON object: {"status": exit code, "output": text}.
"""

import json
import os
import pty
import re
import select
import sys
import time


def main() -> None:
    steps = json.loads(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp(command[0], command)
    output = b""
    deadline = time.time() + 30
    position = 0
    for pattern, keys in steps:
        while not re.search(pattern, output[position:].decode("utf-8", "replace")):
            if time.time() > deadline:
                break
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
        position = len(output)
        time.sleep(0.1)
        os.write(fd, keys.encode())
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, 9)  # still waiting for input after the deadline: the test fails, not hangs
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"status": code, "output": output.decode("utf-8", "replace")}))


main()
