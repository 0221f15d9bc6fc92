"""Render results.json as RESULTS.md: the side-by-side table, the targets, parity."""

from __future__ import annotations

import math
from typing import Any

LIBRARIES = ("valuecrm", "lifetimes", "pymc-marketing")
TARGETS = (  # case, peer, minimum speed-up, maximum memory ratio (valuecrm / peer)
    ("bg_nbd", "lifetimes", 30.0, None),
    ("bg_nbd", "pymc-marketing", 20.0, None),
    ("pareto_small", "lifetimes", 30.0, None),
    ("rfm_summary", "lifetimes", 5.0, 0.5),
)
SCORING_TARGET_SECONDS = 10.0
# bench/coverage.py writes its section between these lines; run.py keeps it when it rewrites
COVERAGE_START = "<!-- bench/coverage.py: start -->"
COVERAGE_END = "<!-- bench/coverage.py: end -->"

METHOD = """\
How to read this: each case runs in a fresh process per library, one at a time, on the machine
above. **Time** is the best of up to 3 runs of the operation alone (3 runs when the first took
under 10 s, else 1; the same rule for every library); it excludes starting Python and importing
the library. For the fits and the scoring, the data are read from Parquet into pandas before the
clock starts. For the RFM summary, reading the file is inside the clock for both libraries:
valuecrm connects DuckDB, reads the file (`read_parquet` / `read_csv`), builds the summary and
converts it to pandas; lifetimes reads it with `pandas.read_parquet` / `pandas.read_csv` and calls
`summary_data_from_transaction_data`. **Peak** is the process's peak resident memory (`ru_maxrss`
from `wait4`: interpreter, imports, data and operation). **Speed-up** is the peer's time divided
by valuecrm's; **memory** is valuecrm's peak divided by the peer's. `> N s` means killed at the
time limit (its peak memory is then the peak until it was killed, so the memory ratio is an
upper bound, `< x`); `not run (~N s est.)` is a case not started because 10x fewer customers
already took more than a tenth of the limit (N = 10 x that time). pymc-marketing fits are
`fit(method="map")` with its default priors, timed from model building to the end of `find_MAP`
(PyTensor's compile cache warmed first). lifetimes fits on the raw rows (its default usage);
valuecrm groups identical rows into weights itself, inside the clock.
"""


def _outcome(results: dict[str, Any], case: str, library: str) -> dict[str, Any] | None:
    for outcome in results["outcomes"]:
        if outcome["case"] == case and outcome["library"] == library:
            return outcome
    return None


def _seconds(outcome: dict[str, Any] | None, key: str = "seconds") -> float:
    """The best wall-clock (``key="seconds"``) or CPU (``"cpu_seconds"``) time."""
    if outcome is None or outcome["status"] != "ok":
        return math.nan
    return float(outcome["record"].get(key, math.nan))


def _time_cell(outcome: dict[str, Any] | None) -> str:
    if outcome is None:
        return "—"
    status = outcome["status"]
    if status == "ok":
        return (f"{_format_seconds(_seconds(outcome))} "
                f"({_format_seconds(_seconds(outcome, 'cpu_seconds'))} CPU)")
    if status == "timeout":
        return f"> {outcome['limit_seconds']:.0f} s"
    if "estimated_seconds" in outcome.get("record", {}):
        return f"not run (~{outcome['record']['estimated_seconds']:,.0f} s est.)"
    return {"skipped": "not run", "missing": "not installed"}.get(status, status)


def _format_seconds(seconds: float) -> str:
    return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:.0f} s"


def _memory_cell(outcome: dict[str, Any] | None) -> str:
    if outcome is None or outcome["status"] in ("skipped", "missing"):
        return "—"
    return f"{outcome['peak_rss_mb']:,.0f} MB"


def speed_up(
    ours: dict[str, Any] | None, theirs: dict[str, Any] | None, key: str = "seconds"
) -> tuple[float, bool]:
    """(peer time / valuecrm time, whether it is a lower bound because the peer timed out).

    A peer that timed out is credited with the limit against valuecrm's wall time; its CPU
    time is unknown, so the CPU ratio is nan then."""
    base = _seconds(ours, key)
    if theirs is not None and "estimated_seconds" in theirs.get("record", {}):
        return (theirs["record"]["estimated_seconds"] / base if key == "seconds" else math.nan,
                False)
    if theirs is not None and theirs["status"] == "timeout":
        return (theirs["limit_seconds"] / base, True) if key == "seconds" else (math.nan, True)
    return _seconds(theirs, key) / base, False


def _ratio(value: float, bound: bool) -> str:
    return f"{'> ' if bound else ''}{value:,.1f}x"


def _ratio_cell(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> str:
    value, bound = speed_up(ours, theirs)
    if math.isnan(value):
        return "—"
    if theirs is not None and theirs["status"] == "skipped":
        return f"~{value:,.0f}x est."
    cpu, cpu_bound = speed_up(ours, theirs, "cpu_seconds")
    if math.isnan(cpu):
        return _ratio(value, bound)
    return f"{_ratio(value, bound)} ({_ratio(cpu, cpu_bound)} CPU)"


def memory_ratio(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> float:
    if ours is None or theirs is None or theirs["status"] in ("skipped", "missing"):
        return math.nan
    return ours["peak_rss_mb"] / theirs["peak_rss_mb"]


def _table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| case | valuecrm time | valuecrm peak | lifetimes time | lifetimes peak | "
        "pymc-marketing time | pymc-marketing peak | speed-up vs lifetimes | "
        "speed-up vs pymc-marketing | memory vs lifetimes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case, title in results["titles"].items():
        row = {lib: _outcome(results, case, lib) for lib in LIBRARIES}
        if all(v is None for v in row.values()):
            continue
        ours = row["valuecrm"]
        memory = memory_ratio(ours, row["lifetimes"])
        cells = [title]
        for lib in LIBRARIES:
            cells += [_time_cell(row[lib]), _memory_cell(row[lib])]
        killed = row["lifetimes"] is not None and row["lifetimes"]["status"] == "timeout"
        memory_text = "—" if math.isnan(memory) else f"{'< ' if killed else ''}{memory:.2f}"
        cells += [_ratio_cell(ours, row["lifetimes"]), _ratio_cell(ours, row["pymc-marketing"]),
                  memory_text]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _targets(results: dict[str, Any]) -> list[str]:
    lines = ["| target | measured | met |", "|---|---|---|"]
    for case, peer, minimum, max_memory in TARGETS:
        ours, theirs = _outcome(results, case, "valuecrm"), _outcome(results, case, peer)
        if ours is None or theirs is None:
            continue
        value, bound = speed_up(ours, theirs)
        met = not math.isnan(value) and value >= minimum
        text = f"{'> ' if bound else ''}{value:,.1f}x"
        target = f"{results['titles'][case]}: >= {minimum:.0f}x faster than {peer}"
        if max_memory is not None:
            memory = memory_ratio(ours, theirs)
            target += f", peak memory <= {max_memory:.1f} x {peer}'s"
            text += f", memory {memory:.2f} x"
            met = met and memory <= max_memory
        lines.append(f"| {target} | {text} | {'yes' if met else '**no**'} |")
    scoring = _outcome(results, "scoring", "valuecrm")
    if scoring is not None:
        seconds = _seconds(scoring)
        met = seconds < SCORING_TARGET_SECONDS
        lines.append(f"| {results['titles']['scoring']} with valuecrm: < "
                     f"{SCORING_TARGET_SECONDS:.0f} s | {_time_cell(scoring)} | "
                     f"{'yes' if met else '**no**'} |")
    return lines


def _details(results: dict[str, Any]) -> list[str]:
    lines = []
    for case, title in results["titles"].items():
        for lib in LIBRARIES:
            outcome = _outcome(results, case, lib)
            if outcome is None:
                continue
            record, extra = outcome.get("record", {}), []
            if "runs" in record:
                extra.append("runs " + ", ".join(f"{s:.3g} s" for s in record["runs"]))
            for key in ("params", "parts", "checksum"):
                if key in record:
                    extra.append(f"{key} " + ", ".join(
                        f"{k} {v:.6g}" for k, v in record[key].items()))
            if outcome["detail"]:
                extra.append(outcome["detail"])
            extra.append(f"load average {outcome['load_average']:.1f}")
            lines.append(f"- {title}, {lib} {record.get('version', '')}: {outcome['status']}; "
                         + "; ".join(extra))
    return lines


def _parity(parity: dict[str, Any]) -> list[str]:
    if not parity:
        return ["Not run."]
    if "predictions" not in parity:
        return [f"Failed to run: {parity.get('status')}: {parity.get('detail')}"]
    lines = [
        f"On the CDNOW sample summary (2,357 customers, weeks). Predictions at the same "
        f"parameters must agree to {parity['prediction_tolerance']:g} relative; fitted "
        f"parameters to {parity['fit_tolerance']:g} (lifetimes' optimiser stops earlier). "
        f"Overall: **{'pass' if parity['ok'] else 'FAIL'}**.", "",
        "| quantity | values | max relative difference | agrees |", "|---|---:|---:|---|",
    ]
    for name, verdict in parity["predictions"].items():
        lines.append(f"| {name} | {verdict['n']:,} | {verdict['max_relative_difference']:.1e} | "
                     f"{'yes' if verdict['ok'] else '**no**'} |")
    for name, verdict in parity["fits"].items():
        ours = ", ".join(f"{k} {v:.6g}" for k, v in verdict["valuecrm"].items())
        theirs = ", ".join(f"{k} {v:.6g}" for k, v in verdict["lifetimes"].items())
        lines.append(f"| {name} fit: valuecrm {ours} (log-likelihood "
                     f"{verdict['log_likelihood_valuecrm']:.3f}); lifetimes {theirs} | "
                     f"{len(verdict['valuecrm'])} | {verdict['max_relative_difference']:.1e} | "
                     f"{'yes' if verdict['ok'] else '**no**'} |")
    return lines


def _limit(results: dict[str, Any], case: str, library: str) -> str:
    outcome = _outcome(results, case, library)
    return "—" if outcome is None else f"{outcome['limit_seconds']:.0f} s"


def render(results: dict[str, Any]) -> str:
    machine = results["machine"]
    versions = {}
    for outcome in results["outcomes"]:
        if outcome.get("record", {}).get("version"):
            versions[outcome["library"]] = outcome["record"]["version"]
    loads = [o["load_average"] for o in results["outcomes"] if o["status"] != "skipped"]
    command = "python bench/run.py" + (" --quick" if results["mode"] == "quick" else "")
    lines = [
        "# Benchmark: valuecrm, lifetimes and pymc-marketing",
        "",
        f"Run of {machine['date']} (`{command}`, valuecrm at commit "
        f"{results.get('valuecrm_commit', 'unknown')}, "
        f"{results['total_seconds'] / 60:.1f} min) on {machine['cpu']}, {machine['cores']} "
        f"cores, {machine['memory_gb']} GB, Python {machine['python']}; "
        + ", ".join(f"{lib} {v}" for lib, v in versions.items())
        + f". Time limit per case and library: {results['limit_seconds']:.0f} s "
        f"(lifetimes' scoring: {_limit(results, 'scoring', 'lifetimes')}). The machine was "
        f"shared with other work: the 1-minute load average at the start of the cases ranged "
        f"from {min(loads, default=math.nan):.1f} to {max(loads, default=math.nan):.1f} "
        "(2 cores), so the CPU times are the steadier figures.",
        "",
        *_table(results),
        "",
        METHOD,
        "## Targets",
        "",
        *_targets(results),
        "",
        "## Parity with lifetimes",
        "",
        *_parity(results.get("parity", {})),
        "",
        "## Details",
        "",
        "Simulated data: see bench/datagen.py (BG/NBD, Pareto/NBD and Gamma-Gamma at the CDNOW "
        "estimates, times in weeks at daily resolution). Fitted parameters should be near "
        "r 0.243, alpha 4.41, a 0.793, b 2.43 (BG/NBD); r 0.553, alpha 10.6, s 0.606, "
        "beta 11.7 (Pareto/NBD); p 6.25, q 3.74, gamma (v) 15.4 (Gamma-Gamma). The RFM "
        "checksums (sums of each column) must agree between the libraries.",
        "",
        *_details(results),
        "",
    ]
    return "\n".join(lines)


def coverage_section(text: str) -> str | None:
    """The section bench/coverage.py wrote into ``text`` (markers included), if any."""
    start, end = text.find(COVERAGE_START), text.find(COVERAGE_END)
    if start < 0 or end < start:
        return None
    return text[start:end + len(COVERAGE_END)]


def with_coverage_section(text: str, section: str) -> str:
    """``text`` with its coverage section replaced by ``section`` (appended when absent)."""
    old = coverage_section(text)
    if old is not None:
        return text.replace(old, section)
    return text.rstrip("\n") + "\n\n" + section + "\n"
