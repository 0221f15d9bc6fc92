"""``valuecrm ingest`` through the real entry point: messages, JSON and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from valuecrm.interfaces.cli import main
from valuecrm.store import connect

HEADER = "order_id,customer_id,ordered_at,amount,status"


def run(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["valuecrm", *args])
    code = 0
    try:
        main()
    except SystemExit as done:
        code = int(done.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def orders_csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def db_file(db_path: Path) -> str:
    with connect(db_path) as db:
        db.raw.execute("INSERT INTO customers (customer_id) VALUES ('c1'), ('c2')")
    return str(db_path)


def counts(path: str) -> dict[str, int]:
    with connect(path) as db:
        return db.counts()


def test_good_file_prints_a_summary(db_file, tmp_path, monkeypatch, capsys):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    code, out, _ = run(["--db", db_file, "ingest", "orders", str(source)], monkeypatch, capsys)
    assert code == 0
    assert "read 1 rows, loaded 1 (1 new, 0 updated), rejected 0" in out
    assert counts(db_file)["orders"] == 1


def test_rejected_file_exits_3_with_the_bad_rows(db_file, tmp_path, monkeypatch, capsys):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o2,c9,2024-01-05,abc,completed")
    code, _, err = run(["--db", db_file, "ingest", "orders", str(source)], monkeypatch, capsys)
    assert code == 3
    assert "'orders.csv' was refused: 1 of 2 rows are bad" in err
    assert "line 3, column customer_id, value 'c9': customer 'c9' does not exist" in err
    assert "line 3, column amount, value 'abc': not an amount of money" in err
    assert "--on-error skip" in err
    assert counts(db_file)["orders"] == 0


def test_json_report_of_a_refusal(db_file, tmp_path, monkeypatch, capsys):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,someday,10,completed")
    code, out, _ = run(["--db", db_file, "ingest", "orders", str(source), "--json"],
                       monkeypatch, capsys)
    body = json.loads(out)
    assert code == 3 and body["error"] == "ingest_rejected"
    assert body["report"]["bad_rows"] == [{"line": 2, "column": "ordered_at",
                                           "value": "someday", "reason": body["report"][
                                               "bad_rows"][0]["reason"]}]
    assert body["report"]["rows_rejected"] == 1


def test_skip_mode_with_mapping_and_created_customers(db_file, tmp_path, monkeypatch, capsys):
    source = orders_csv(tmp_path / "export.csv", "o1,c7,05/01/2024,10,completed",
                        "o2,c1,bad,10,completed",
                        header="No,Customer ID,Date,Amount,Status")
    code, out, _ = run(["--db", db_file, "ingest", "orders", str(source), "--map", "No=order_id",
                        "--map", "Date=ordered_at", "--date-format", "%d/%m/%Y",
                        "--on-error", "skip", "--create-customers", "--json"],
                       monkeypatch, capsys)
    report = json.loads(out)
    assert code == 0
    assert (report["rows_loaded"], report["rows_rejected"], report["customers_created"]) == (
        1, 1, 1)
    assert report["rejects_path"] == str(tmp_path / "export.rejects.csv")
    raw = (tmp_path / "export.rejects.csv").read_bytes()  # trust 11: a BOM, even for UTF-8 input
    assert raw.startswith(b"\xef\xbb\xbfNo,Customer ID,")
    assert counts(db_file)["customers"] == 3


@pytest.mark.parametrize(("make", "text"), [
    (lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50), "not a text CSV"),
    (lambda p: None, "does not exist"),
    (lambda p: orders_csv(p, "o1,c1,10", header="order_id,customer_id,amount"),
     "has no column for ordered_at"),
])
def test_unusable_files_exit_2(db_file, tmp_path, monkeypatch, capsys, make, text):
    source = tmp_path / "orders.csv"
    make(source)
    code, _, err = run(["--db", db_file, "ingest", "orders", str(source)], monkeypatch, capsys)
    assert code == 2
    assert text in err
    assert counts(db_file)["orders"] == 0


def test_bad_map_option_exits_2(db_file, tmp_path, monkeypatch, capsys):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    code, _, err = run(["--db", db_file, "ingest", "orders", str(source), "--map", "order_id"],
                       monkeypatch, capsys)
    assert code == 2 and "--map must be SOURCE=TARGET" in err


def test_console_script_in_a_subprocess(db_file, tmp_path):
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed",
                        "o1,c1,2024-01-06,10,completed")
    done = subprocess.run([sys.executable, "-m", "valuecrm", "--db", db_file, "ingest", "orders",
                           str(source)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert "line 3, column order_id, value 'o1': duplicate order_id: the same key as line 2" in (
        done.stderr)


def test_memory_limit_option_caps_the_load(db_file, tmp_path, monkeypatch, capsys):
    import valuecrm.store.ingest as ingest_module

    caps: list[str] = []
    real = ingest_module._load_settings

    def recording(con, limit):
        caps.append(limit)
        return real(con, limit)

    monkeypatch.setattr(ingest_module, "_load_settings", recording)
    source = orders_csv(tmp_path / "orders.csv", "o1,c1,2024-01-05,10,completed")
    args = ["--db", db_file, "ingest", "orders", str(source), "--memory-limit"]
    code, _, err = run([*args, "512mb"], monkeypatch, capsys)
    assert code == 0, err
    assert caps == ["512MB"] and counts(db_file)["orders"] == 1
    code, _, err = run([*args, "lots"], monkeypatch, capsys)
    assert code == 2
    assert ("--memory-limit must be a size such as 1GB, 512MB or 2GiB, at least 64MB. Got "
            "'lots' instead.") in " ".join(err.split())
