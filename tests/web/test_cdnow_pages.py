"""The dashboard on CDNOW (no costs, no complaints, no prices), through FastAPI's TestClient:
reasons with their rules (trust 13), the list download for spreadsheets (trust 11) and current
value labelled as revenue (trust 14)."""

from __future__ import annotations

import warnings

from tests.helpers.data import insert


def test_dashboard_on_cdnow(tmp_path):
    from valuecrm.actions.reasons import reason_rule
    from valuecrm.analysis import AnalysisConfig, analyze
    from valuecrm.datasets import load_cdnow
    from valuecrm.demo import cdnow_tables
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    path = tmp_path / "cdnow.duckdb"
    customers, orders = cdnow_tables(load_cdnow(sample=True).drop(columns="master_customer_id"))
    with connect(path) as database:
        insert(database, "customers", customers)
        insert(database, "orders", orders)
        analyze(database, as_of="1998-06-30", config=AnalysisConfig(candidates=("BetaGeo",)))
        token = add_user(database.raw, "cdnow-admin", "admin")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    with TestClient(create_app(path)) as client:
        assert client.post("/login", data={"token": token}).status_code == 200
        for lang, phrase in (("en", "Current value (revenue, no cost data)"),
                             ("zh-CN", "当前价值（收入，无成本数据）")):
            page = client.get("/value", params={"lang": lang})
            assert page.status_code == 200 and phrase in page.text, lang
        page = client.get("/actions", params={"list": "winback", "lang": "en"})
        assert page.status_code == 200
        assert "left after one purchase" in page.text and reason_rule("one_purchase") in page.text
        page = client.get("/actions", params={"list": "winback", "lang": "zh-CN"})
        assert "仅购买一次后离开" in page.text and "只有一个购买日" in page.text
        download = client.get("/actions/winback.csv")
        assert download.status_code == 200
        assert download.content.startswith(b"\xef\xbb\xbfcustomer_id,")
        # a customer's page: P(alive), expected purchases and CLV with their intervals, and
        # the models page: profile-likelihood parameter intervals, all inside their domains
        customer = str(customers["customer_id"].iloc[0])
        for lang, phrase in (("en", "90% interval"), ("zh-CN", "90% 区间")):
            page = client.get(f"/customers/{customer}", params={"lang": lang})
            assert page.status_code == 200 and page.text.count(phrase) == 3, lang
        for lang, phrase in (("en", "95% profile-likelihood intervals"),
                             ("zh-CN", "95% 剖面似然区间")):
            page = client.get("/models", params={"lang": lang})
            assert page.status_code == 200 and phrase in page.text, lang
        for model in client.get("/api/models").json().values():
            if isinstance(model, dict) and "params" in model:
                assert all(0 < p["lower"] < p["estimate"] < p["upper"] for p in model["params"])
