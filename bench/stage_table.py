"""What the analyze benchmarks (analyze_scale.py, analyze_100m.py) share: the load average and
the table of a run's stages (standard library only)."""

from __future__ import annotations

import os


def load_average() -> float:
    """The 1-minute load average, to two places."""
    return round(os.getloadavg()[0], 2)


def print_stages(result: dict, width: int, met_note: str = "") -> None:
    """Wall, CPU, peak memory and load of each of ``result["stages"]``, then the whole
    process, with ``met_note`` after it when given."""
    print(f"{'stage':<{width}}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}{'load':>7}")
    for stage in result["stages"]:
        print(f"{stage['stage']:<{width}}{stage['wall_s']:>9.2f}{stage['cpu_s']:>9.2f}"
              f"{stage['peak_mb']:>9,}{stage['load']:>7.2f}")
    print(f"{'whole process':<{width}}{result['wall_s']:>9.2f}{result['cpu_s']:>9.2f}"
          f"{result['peak_mb']:>9,}   load {result['load_start']} -> {result['load_end']}"
          f"{'  ' + met_note if met_note else ''}")
