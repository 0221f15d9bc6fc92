"""Run one case in a fresh subprocess: wall time, peak memory, time limit.

The peak resident memory is the child's ``ru_maxrss`` as reported by ``os.wait4`` for that
process alone (interpreter, imports, data and the operation; compilers a worker starts are not
counted). A child still running at its limit is killed and recorded as timed out.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
PYTHONS = {
    "valuecrm": REPO_DIR / ".venv" / "bin" / "python",
    "lifetimes": BENCH_DIR / ".venv-lifetimes" / "bin" / "python",
    "pymc-marketing": BENCH_DIR / ".venv-pymc" / "bin" / "python",
}
SCRIPTS = {
    "valuecrm": BENCH_DIR / "case_valuecrm.py",
    "lifetimes": BENCH_DIR / "case_lifetimes.py",
    "pymc-marketing": BENCH_DIR / "case_pymc.py",
}


@dataclass
class Outcome:
    """What one case run produced."""

    library: str
    case: str
    status: str  # ok, timeout, error, missing (environment not installed)
    wall_seconds: float = float("nan")
    peak_rss_mb: float = float("nan")
    limit_seconds: float = float("nan")
    detail: str = ""
    load_average: float = float("nan")  # 1-minute load average when the case started
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """The timed operation's best time (nan unless status is ok)."""
        return float(self.record.get("seconds", float("nan")))

    @property
    def cpu_seconds(self) -> float:
        """The timed operation's best CPU time, all threads (nan unless status is ok)."""
        return float(self.record.get("cpu_seconds", float("nan")))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def available(library: str) -> bool:
    return PYTHONS[library].exists()


def run_case(library: str, case: str, data_dir: Path, limit_seconds: float) -> Outcome:
    """Run ``case`` with ``library`` in its own process, killed after ``limit_seconds``."""
    data_dir = data_dir.resolve()  # the worker runs in bench/
    outcome = Outcome(library, case, "missing", limit_seconds=limit_seconds)
    if not available(library):
        outcome.detail = f"{PYTHONS[library]} not found: run bench/setup"
        return outcome
    out = data_dir / f"result-{library}-{case}.json"
    out.unlink(missing_ok=True)
    log = data_dir / f"log-{library}-{case}.txt"
    outcome.load_average = os.getloadavg()[0]
    # valuecrm from this checkout (not whichever one the venv's editable install points at)
    path = str(BENCH_DIR) if library != "valuecrm" else os.pathsep.join(
        [str(BENCH_DIR), str(REPO_DIR)])
    env = {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    with log.open("w") as log_file:
        child = subprocess.Popen(
            [str(PYTHONS[library]), str(SCRIPTS[library]), case, str(data_dir), str(out)],
            stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=BENCH_DIR,
            start_new_session=True,
        )
        try:
            status, usage = _wait(child.pid, started + limit_seconds)
        except BaseException:  # interrupted: take the child (its own session) down too
            os.killpg(child.pid, signal.SIGKILL)
            raise
    outcome.wall_seconds = time.perf_counter() - started
    outcome.peak_rss_mb = usage.ru_maxrss / 1024
    if status is None:
        outcome.status = "timeout"
        outcome.detail = f"killed after {limit_seconds:.0f} s"
    elif os.waitstatus_to_exitcode(status) != 0 or not out.exists():
        outcome.status = "error"
        outcome.detail = _tail(log)
    else:
        outcome.status = "ok"
        outcome.record = json.loads(out.read_text())
    return outcome


def _wait(pid: int, deadline: float) -> tuple[int | None, Any]:
    """(exit status, rusage) of ``pid``; status None when it was killed at ``deadline``."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.perf_counter() > deadline:
            os.killpg(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(0.05)


def _tail(log: Path, lines: int = 8) -> str:
    text = log.read_text(errors="replace").strip().splitlines()
    return " | ".join(text[-lines:])
