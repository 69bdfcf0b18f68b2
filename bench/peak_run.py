"""`python bench/peak_run.py MODULE ARGS...`: run MODULE as `python -m MODULE ARGS...` would, then
write this process's own peak resident memory (VmHWM, MB) to $CRIMJUST_BENCH_PEAK_FILE.

For the scale benchmark: wait4's ru_maxrss of a child also counts the memory of the parent at
fork time (Linux carries it across exec), so a child reports its own peak instead.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys
from pathlib import Path


def _write_peak() -> None:
    target = os.environ.get("CRIMJUST_BENCH_PEAK_FILE")
    if not target:
        return
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(target).write_text(str(int(line.split()[1]) / 1024))


if __name__ == "__main__":
    atexit.register(_write_peak)
    sys.argv = sys.argv[1:]
    sys.path[0] = os.getcwd()  # as `python -m` has it, not this script's folder
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
