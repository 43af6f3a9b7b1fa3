"""CPU instructions per request, counted by valgrind's callgrind: the same count for the
same code whatever else the machine is doing, where its speed drifts by a fifth from one
minute to the next. So a change to a page's Python can be judged in one run of each.

`bench.profile --instructions` runs itself again under callgrind, which counts only
between `measured()`'s start and end (everything before runs uninstrumented, faster).
The requests go through Flask's test client, whose own work is counted too: compare
counts with each other, not with a served request's.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUTPUT_DIR = "BENCH_CALLGRIND_DIR"  # set in the process that runs under callgrind
WARM_REQUESTS = 5  # instrumented but not counted: the first runs of new code paths


def under_callgrind() -> bool:
    return OUTPUT_DIR in os.environ


def _control(*options: str) -> None:
    command = ["callgrind_control", *options, str(os.getpid())]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - valgrind's own tool


@contextlib.contextmanager
def measured(request):
    """Instrument, warm up with `request()`, then count what the block runs."""
    _control("--instr=on")
    for _ in range(WARM_REQUESTS):
        request()
    _control("--zero")
    yield
    _control("--dump")
    _control("--instr=off")


def count(argv: list[str], repeat: int) -> int:
    """Run `python -m bench.profile argv` under callgrind; instructions per request."""
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as directory:
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
        command += [f"--callgrind-out-file={directory}/callgrind.out.%p"]
        command += [sys.executable, "-m", "bench.profile", *argv]
        env = os.environ | {OUTPUT_DIR: directory}
        subprocess.run(command, check=True, env=env, stderr=subprocess.DEVNULL)  # noqa: S603 - our own command line
        dumps = list(Path(directory).glob("callgrind.out.*.*"))  # the dump of measured()
        if len(dumps) != 1:
            sys.exit(f"callgrind left {len(dumps)} dumps, expected one")
        total = re.search(r"^(?:summary|totals): (\d+)", dumps[0].read_text(), re.MULTILINE)
    return int(total.group(1)) // repeat
