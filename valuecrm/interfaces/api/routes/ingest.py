"""``POST /api/ingest/{table}``: load an uploaded file, with the same checks as the CLI.

An ingest never overlaps an analysis (:mod:`valuecrm.interfaces.api.writes`): while an analysis
job is queued or running it answers 409 ``analysis_running``; another ingest is waited for.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile

from valuecrm.errors import IngestError, ParameterError, SourceError
from valuecrm.interfaces.api.auth import Admin
from valuecrm.interfaces.api.errors import ERROR_SCHEMA
from valuecrm.interfaces.api.state import server_state
from valuecrm.store.ingest import API, FORMATS, IngestMapping
from valuecrm.store.schema import TABLES
from valuecrm.store.users import record_audit

router = APIRouter(tags=["ingest"])

TableName = Literal[tuple(TABLES)]  # type: ignore[valid-type]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


MAPPING_HELP = ('A JSON object, source column -> table column, e.g. {"客户编号": "customer_id"}. '
                'Columns with the table\'s names, or common Chinese and English names of them '
                '(客户编号, 下单时间, Order Date, Total, ...), need none.')
VALUES_HELP = ('A JSON object, table column -> {value in the file: value to store}, e.g. '
               '{"gender": {"M.": "male"}, "status": {"Done": "completed"}} (any case; "" '
               'stores no value). Common values (男/女, 已完成, 已取消, 已退货, ...) need none.')


def _json_field(name: str, text: str | None, example: str) -> dict[str, Any] | None:
    """The form field ``name``: a JSON object, or a ParameterError naming the field."""
    if text is None or not text.strip():
        return None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParameterError(f"The field {name!r} is not valid JSON ({exc.msg} at character "
                             f"{exc.pos}).", hint=f"Send a JSON object, e.g. {example}.") from None
    if not isinstance(body, dict):
        raise ParameterError(f"The field {name!r} must be a JSON object. Got {text!r} instead.",
                             hint=f"e.g. {example}.")
    return body


def _save(upload: UploadFile, folder: Path, default: str) -> tuple[Path, str]:
    """Write the uploaded file into ``folder`` under a safe form of its name."""
    original = Path(upload.filename or "").name
    name = _SAFE_NAME.sub("_", original).lstrip(".") or default
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out, length=1 << 20)
    return path, original


@router.post("/ingest/{table}", responses={
    400: {"description": "The file cannot be read, a required column is missing, or a field is "
                         "wrong (a mapping naming a column or value that cannot be): the "
                         "message names the field, the column and the value.",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    409: {"description": "An analysis is queued or running (``analysis_running``): nothing was "
                         "loaded; send the file again when the job has ended.",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    422: {"description": "The file was refused: the report lists every bad row (line, column, "
                         "value, reason).",
          "content": {"application/json": {"schema": ERROR_SCHEMA}}}})
def ingest_file(
    user: Admin,
    request: Request,
    table: TableName,
    file: Annotated[UploadFile, File(description="A .csv, .tsv, .parquet, .xlsx or .jsonl "
                                                 "file whose columns match the table (.csv.gz,"
                                                 " .tsv.gz, .jsonl.gz and .zip are read too).")],
    on_error: Annotated[Literal["reject", "skip"], Form(description=(
        "reject: refuse the whole file if any row is bad; skip: load the good rows."))]
    = "reject",
    create_customers: Annotated[bool, Form(description=(
        "Create customers that rows refer to but the database lacks."))] = False,
    mapping: Annotated[str | None, Form(description=MAPPING_HELP)] = None,
    values: Annotated[str | None, Form(description=VALUES_HELP)] = None,
    mapping_file: Annotated[UploadFile | None, File(description=(
        "A YAML or JSON file with 'columns' and 'values' sections (the same as mapping and "
        "values; those fields win over it), optionally under table names."))] = None,
    dry_run: Annotated[bool, Form(description=(
        "Check the file and answer what a load would do (the column and value mappings used, "
        "the rows that would load or be rejected, a sample of the rows as they would be "
        "stored) without writing anything."))] = False,
    date_format: Annotated[str | None, Form(description=(
        "strptime format of the dates, e.g. %d/%m/%Y %H:%M (default: ISO 8601 and "
        "YYYY/MM/DD are read)."))] = None,
    encoding: Annotated[str | None, Form(description=(
        "Text encoding of a CSV/TSV, e.g. gb18030 (default: detected)."))] = None,
    sheet: Annotated[str | None, Form(description=(
        "Excel sheet (default: every sheet with the first sheet's columns, stacked)."))] = None,
    member: Annotated[str | None, Form(description=(
        "File to load in a .zip archive (default: its only file)."))] = None,
    cancel_prefix: Annotated[str | None, Form(description=(
        "A file of order lines: order numbers starting with it are cancellations, loaded as "
        "returns (default: C when the order numbers show it; empty for none)."))] = None,
    adjustment_prefix: Annotated[str | None, Form(description=(
        "A file of order lines: order numbers starting with it are adjustments (bad debt), "
        "left out (default: A when the order numbers show it; empty for none)."))] = None,
    memory_limit: Annotated[str | None, Form(description=(
        "Cap on the memory the load's database engine uses, e.g. 512MB or 4GB; beyond it, work "
        "spills to temporary files (slower). Default 1GB."))] = None,
) -> dict[str, Any]:
    """Validate the uploaded file and upsert its rows into ``table`` (all or nothing with
    ``on_error=reject``). Answers the load report, which lists how each column was matched
    (``columns``: given, name or recognised) and which values were read as others (``values``);
    422 with the report when the file is refused; 409 while an analysis is queued or running
    (it reads the data being changed: send the file again when the job has ended). A second
    ingest waits for the one loading. With ``dry_run=true`` nothing is written and the report
    says what a load would do. Every ingest, refused or not, is written to the audit log.
    A file of order lines for ``orders`` (a product, a quantity and a unit price or line
    amount) is grouped into orders, order lines and products; the report's ``lines`` says what
    it became (docs/line-items.md)."""
    state = server_state(request)
    columns = _json_field("mapping", mapping, '{"客户编号": "customer_id"}')
    value_map = _json_field("values", values, '{"gender": {"男": "male"}}')
    rules = IngestMapping.from_dicts(columns, value_map)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="valuecrm-upload-") as folder:
        if mapping_file is not None and mapping_file.filename:
            saved, _ = _save(mapping_file, Path(folder), "mapping.yaml")
            rules = IngestMapping.from_file(saved, table) + rules
        data = Path(folder) / "data"
        data.mkdir()
        original = Path(file.filename or "").name
        if Path(_SAFE_NAME.sub("_", original)).suffix.lower() not in FORMATS:
            raise SourceError(
                f"Cannot tell the format of the uploaded file {original or '(no name)'!r}.",
                hint="Name the file with one of the extensions " + ", ".join(FORMATS) + ".")
        path, original = _save(file, data, "upload")
        options = {"mapping": rules, "on_error": on_error, "create_customers": create_customers,
                   "date_format": date_format, "encoding": encoding, "sheet": sheet,
                   "member": member,
                   "wording": API, "cancel_prefix": cancel_prefix,
                   "adjustment_prefix": adjustment_prefix, "memory_limit": memory_limit}
        if dry_run:
            with state.write_lock, state.session() as database:
                report = database.ingest(table, path, dry_run=True, **options)
            report.source = original
            return report.to_dict()
        with (state.data_writes.ingest(f"{original or path.name} into {table}"),
              state.write_lock, state.session() as database):
            try:
                report = database.ingest(table, path, **options)
            except IngestError as refused:
                if refused.report is not None:
                    refused.report.source = original
                    record_audit(database.raw, user, "ingest_rejected", table,
                                 refused.report.rows_rejected, source=original)
                raise
            report.source, report.rejects_path = original, None
            record_audit(database.raw, user, "ingest", table, report.rows_loaded,
                         source=original, rows_rejected=report.rows_rejected, mode=on_error)
    return report.to_dict()
