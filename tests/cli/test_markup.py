"""Text from the data or from an error is printed as it is: "[red]" in a name, a value or a hint
is not taken for terminal markup (rich would hide it)."""

from __future__ import annotations

from tests.helpers.cli import run


def test_names_values_and_hints_keep_their_brackets(monkeypatch, capsys, tmp_path):
    db = str(tmp_path / "crm.duckdb")
    good = tmp_path / "customers.csv"
    good.write_text("customer_id,name\nC1,[red]Ann[/red]\n", encoding="utf-8")
    assert run(monkeypatch, capsys, "--db", db, "init").code == 0  # ingest creates no database
    assert run(monkeypatch, capsys, "--db", db, "ingest", "customers", str(good)).code == 0
    shown = run(monkeypatch, capsys, "--db", db, "customers", "show", "C1")
    assert shown.code == 0, shown.err
    assert "C1 · [red]Ann[/red]" in shown.out and "[red]Ann[/red]" in shown.out.split("\n", 1)[1]

    bad = tmp_path / "orders.csv"
    bad.write_text("order_id,customer_id,ordered_at,amount\no1,C1,[b]soon[/b],5\n",
                   encoding="utf-8")
    refused = run(monkeypatch, capsys, "--db", db, "ingest", "orders", str(bad))
    assert refused.code == 3
    assert "[b]soon[/b]" in refused.err
