"""``generate``: a realistic multi-table customer database with known truth, in bounded memory.

Customers are generated in chunks (``GeneratorConfig.chunk_size``); each chunk is written as one
Parquet row group per table (or appended to the CSV files), so 1M customers and about 10M orders
need memory for one chunk only. The same seed, size and chunk size give identical files.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow.parquet as pq

from valuecrm._progress import progress
from valuecrm.errors import ParameterError
from valuecrm.store.schema import TABLES
from valuecrm.synthetic import feedback
from valuecrm.synthetic.campaigns import (
    CampaignTally,
    campaigns_table,
    plan_campaigns,
    results_table,
)
from valuecrm.synthetic.catalog import build_catalog, plant_affinities
from valuecrm.synthetic.config import GeneratorConfig, parse_date
from valuecrm.synthetic.customer_chunk import Counters, Shared, build_chunk
from valuecrm.synthetic.loyalty import PLANTED_BEHAVIOUR, PLANTED_RULES
from valuecrm.synthetic.orders import sample_line_amounts
from valuecrm.synthetic.sales_lines import SalesLineWriter, suffix_of
from valuecrm.synthetic.service import planted_journey, planted_recovery
from valuecrm.synthetic.writer import FORMATS, TableWriter, TimeAxis

if TYPE_CHECKING:
    from valuecrm.store.database import Database

TRUTH_FILE = "truth.parquet"
TRUTH_JSON = "truth.json"


@dataclass
class GenerationResult:
    """What ``generate`` wrote: table files, row counts, truth files and the database loaded."""

    config: GeneratorConfig
    paths: dict[str, Path]
    counts: dict[str, int]
    truth_path: Path
    truth_json_path: Path
    database: str | None = None
    load_seconds: dict[str, float] = field(default_factory=dict)
    lines_path: Path | None = None
    lines_truth_path: Path | None = None
    lines_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "paths": {k: str(v) for k, v in self.paths.items()},
            "counts": self.counts,
            "truth_path": str(self.truth_path),
            "truth_json_path": str(self.truth_json_path),
            "database": self.database,
            "load_seconds": self.load_seconds,
            "lines_path": None if self.lines_path is None else str(self.lines_path),
            "lines_truth_path": (None if self.lines_truth_path is None
                                 else str(self.lines_truth_path)),
            "lines_counts": self.lines_counts,
            "config": self.config.to_dict(),
        }


def generate(
    n_customers: int,
    out: str | Path | None = None,
    db: str | Path | Database | None = None,
    seed: int | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    format: str = "parquet",
    config: GeneratorConfig | None = None,
    lines: str | Path | None = None,
    **overrides: Any,
) -> GenerationResult:
    """Generate a synthetic customer database of ``n_customers`` customers.

    Writes every canonical table to ``out/<table>.<format>`` plus ``truth.parquet`` (one row per
    customer: the parameters drawn and what was planted) and ``truth.json`` (configuration and
    planted campaign effects). With ``db`` (a path or an open :class:`Database`), the tables are
    also loaded into it through the validating ingestion, in reference order; without ``out``
    the table files go to a temporary folder (removed after loading; ``paths`` is then empty)
    and the truth files to ``<db>.truth/``. ``config`` gives every model parameter
    (:class:`GeneratorConfig`, seed 0 unless ``seed`` or ``config.seed`` says otherwise);
    ``overrides`` change single fields of it (``generate(1000, out="x", lifecycle=False)``).
    ``lines`` (a ``.csv``, ``.csv.gz`` or ``.xlsx`` path) also writes the orders as a shop's
    line-level export in the Online Retail shape, with ``<name>.truth.parquet`` beside it
    (:mod:`valuecrm.synthetic.sales_lines`).
    """
    if format not in FORMATS:
        raise ParameterError.of("format", "generate", "'parquet' or 'csv'", format)
    if out is None and db is None:
        raise ParameterError("Nowhere to write the generated data.",
                             hint="Give out= (a folder) or db= (a database), or both.")
    changes: dict[str, Any] = {"n_customers": n_customers, **overrides}
    if seed is not None:
        changes["seed"] = seed
    if start is not None:
        changes["start"] = parse_date(start, "start")
    if end is not None:
        changes["end"] = parse_date(end, "end")
    cfg = (config or GeneratorConfig()).replace(**changes).validated()
    if lines is not None:
        suffix_of(Path(lines))  # a name it cannot write is refused before any work

    scratch = None
    if out is None:
        scratch = Path(tempfile.mkdtemp(prefix="valuecrm-generate-"))
        folder = scratch
        truth_folder = _truth_folder(db)
    else:
        folder = truth_folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    truth_folder.mkdir(parents=True, exist_ok=True)
    try:
        result = _write_files(cfg, folder, truth_folder, format,
                              None if lines is None else Path(lines))
        if db is not None:
            result.database, result.load_seconds = _load(db, result.paths)
        if scratch is not None:
            result.paths = {}
        return result
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _truth_folder(db: Any) -> Path:
    path = db if isinstance(db, str | Path) else getattr(db, "path", None)
    if path is None:
        raise ParameterError("An in-memory database has no folder for the truth files.",
                             hint="Give out= (a folder) as well.")
    path = Path(path)
    return path.with_name(path.name + ".truth")


def _write_files(cfg: GeneratorConfig, folder: Path, truth_folder: Path,
                 fmt: str, lines: Path | None = None) -> GenerationResult:
    global_rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, 0]))
    axis = TimeAxis(cfg.start_date)
    catalog = build_catalog(global_rng, cfg.n_products)
    catalog.affinities = plant_affinities(catalog, cfg.affinity_pairs, cfg.seed,
                                          sample_line_amounts(cfg))
    campaigns = plan_campaigns(global_rng, cfg)
    shared = Shared(config=cfg, catalog=catalog, campaigns=campaigns, axis=axis,
                    tally=CampaignTally(len(campaigns)), counters=Counters())
    writer = TableWriter(folder, fmt)
    truth_path = truth_folder / TRUTH_FILE
    truth_writer: pq.ParquetWriter | None = None
    writer.write("products", catalog.table)
    writer.write("campaigns", campaigns_table(campaigns, axis, cfg))
    line_writer = (None if lines is None else
                   SalesLineWriter(lines, catalog.table, cfg.seed, cfg.start_date, cfg.end))
    n_chunks = math.ceil(cfg.n_customers / cfg.chunk_size)
    try:
        with progress("Generating customers", total=n_chunks, unit="chunks") as advance:
            for chunk_no in range(n_chunks):
                first = chunk_no * cfg.chunk_size
                size = min(cfg.chunk_size, cfg.n_customers - first)
                tables = build_chunk(shared, chunk_no, first, size)
                truth = tables.pop("truth")
                if truth_writer is None:
                    truth_writer = pq.ParquetWriter(truth_path, truth.schema,
                                                    compression="zstd")
                truth_writer.write_table(truth)
                for name, table in tables.items():
                    writer.write(name, table)
                if line_writer is not None:
                    line_writer.write(tables["orders"], tables["order_lines"], chunk_no)
                advance(1)
        writer.write("campaign_results", results_table(campaigns, shared.tally, axis, cfg))
    finally:
        writer.close()
        if line_writer is not None:
            line_writer.close()
        if truth_writer is not None:
            truth_writer.close()
    counts = {name: writer.counts[name] for name in TABLES}
    json_path = truth_folder / TRUTH_JSON
    json_path.write_text(json.dumps(_truth_document(cfg, shared, counts), indent=2,
                                    ensure_ascii=False), encoding="utf-8")
    result = GenerationResult(config=cfg, paths=dict(writer.paths), counts=counts,
                              truth_path=truth_path, truth_json_path=json_path)
    if line_writer is not None:
        result.lines_path, result.lines_truth_path = lines, line_writer.truth_path
        result.lines_counts = dict(line_writer.counts)
    return result


def _truth_document(cfg: GeneratorConfig, shared: Shared, counts: dict[str, int]
                    ) -> dict[str, Any]:
    tally = shared.tally.counts
    campaigns = []
    for i, c in enumerate(shared.campaigns):
        treat, ctrl = int(tally["treatment"][i]), int(tally["control"][i])
        t_rate = tally["treatment_buyers"][i] / treat if treat else None
        c_rate = tally["control_buyers"][i] / ctrl if ctrl else None
        campaigns.append({
            "campaign_id": c.campaign_id, "kind": c.kind, "channel": c.channel,
            "started_at": str(cfg.start_date + timedelta(days=int(c.start_day))),
            "planted_lift": c.lift, "window_days": cfg.campaign_window_days,
            "treatment": treat, "control": ctrl,
            "treatment_purchase_rate": t_rate, "control_purchase_rate": c_rate,
            "expected_lift": c.lift * tally["convertible"][i] / treat if treat else None,
            "observed_lift": (t_rate - c_rate) if treat and ctrl else None,
            "extra_orders": int(tally["extra_orders"][i]),
        })
    return {
        "generator": "valuecrm.synthetic",
        "config": cfg.to_dict(),
        "models": {
            "purchasing": "BG/NBD (Fader, Hardie & Lee 2005): lambda ~ Gamma(shape r, rate "
                          "alpha) per week; dropout with probability p ~ Beta(a, b) after each "
                          "repeat purchase",
            "spend": "Gamma-Gamma (Fader, Hardie & Lee 2005): nu ~ Gamma(shape q, rate gamma); "
                     "order amount ~ Gamma(shape p, rate nu), rounded to cents, at least 0.50",
            "lifecycle": "purchase rate x m(age): exploration_factor until exploration_weeks, "
                         "linear to 1 at formation_weeks, 1 after, exp(-(age-onset)/"
                         "decline_weeks) after the onset for decliners"
                         + ("" if cfg.lifecycle else " (disabled)"),
            "recovery": planted_recovery(cfg),
            "journey": planted_journey(),
            "affinities": "an order holding an antecedent product and another line (the next, "
                          "or the previous for its last line) holding no antecedent gets, with "
                          "probability strength, the consequent in that line (same amount "
                          "paid, the fewest units whose list value covers it); the antecedent "
                          "is the product of its category most lines buy",
            "campaigns": "a treated customer alive at contact who would not have bought within "
                         "window_days is converted with probability planted_lift (one extra "
                         "completed order in the window); expected_lift = planted_lift x the "
                         "share of treated customers who were such alive non-buyers",
        },
        "voice": feedback.TRUTH,
        "parameters": {"bgnbd": {"r": cfg.r, "alpha": cfg.alpha, "a": cfg.a, "b": cfg.b},
                       "gamma_gamma": {"p": cfg.p, "q": cfg.q, "gamma": cfg.gamma}},
        "definitions": {
            "purchase": "an order with status 'completed' (returns are separate rows with "
                        "status 'returned' and a negative amount; cancelled orders are not "
                        "purchases)",
            "n_repeat_purchases": "organic completed orders after the first (campaign extra "
                                  "orders are counted in n_campaign_orders)",
            "planted_stage": "exploration, formation, stability or decline at the end date for "
                             "customers alive then; 'lost' otherwise",
            "expected_repeat_purchases": "lambda x M(T): the repeat purchases expected by the "
                                         "end date on the planted rate path if the customer "
                                         "never dropped out (M = integral of m(age))",
            "decline_lost_purchases": "lambda x (M(T) without the decline - M(T)): the "
                                      "repeat purchases the decline cost by the end date "
                                      "(0 when the decline has not begun); an evaluation can "
                                      "count a planted decline as detectable when it cost at "
                                      "least k of them",
            "dropout_at": "when the customer became inactive (after their last BG/NBD purchase, "
                          "or when a complaint they left over was resolved); null if alive",
            "costly": "planted costly-to-serve: margin - cost_to_serve < 0",
        },
        "campaigns": campaigns,
        "loyalty": {"rules": PLANTED_RULES, "behaviour": PLANTED_BEHAVIOUR,
                    "members": "each customer with probability loyalty_member_share; only "
                               "members have ledger entries"},
        "affinities": _affinities(shared.catalog, cfg),
        "counts": counts,
    }


def _affinities(catalog: Any, cfg: GeneratorConfig) -> list[dict[str, Any]]:
    """The planted product pairs, as product ids with their categories."""
    ids = catalog.table.column("product_id").to_pylist()
    categories = catalog.table.column("category").to_pylist()
    return [{"antecedent": ids[a], "consequent": ids[c],
             "antecedent_category": categories[a], "consequent_category": categories[c],
             "strength": cfg.affinity_strength} for a, c in catalog.affinities.tolist()]


def _load(db: Any, paths: dict[str, Path]) -> tuple[str | None, dict[str, float]]:
    """Ingest every table into ``db`` in reference order (customers first)."""
    from valuecrm.store.database import Database, connect

    database = db if isinstance(db, Database) else connect(db)
    seconds: dict[str, float] = {}
    try:
        with progress("Loading tables", total=len(TABLES), unit="tables") as advance:
            for name in TABLES:  # declared in reference order
                started = time.perf_counter()
                database.ingest(name, paths[name], on_error="reject")
                seconds[name] = round(time.perf_counter() - started, 3)
                advance(1)
    finally:
        if database is not db:
            database.close()
    return database.path, seconds
