"""The Models page says why the purchase model was chosen, with the figures, in both languages
(the CDNOW sample analysed as of 1997-09-30, where the RMSE gap of BG/NBD and MBG/NBD is within
noise)."""

from __future__ import annotations

import re
import warnings

from tests.helpers.data import CDNOW_CALIBRATION_END
from tests.helpers.web import stray_english


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_models_page_explains_the_choice(analysed_db, tmp_path):
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    path = analysed_db("cdnow_sample", CDNOW_CALIBRATION_END, candidates=None, copy_to=tmp_path)
    with connect(path) as database:
        token = add_user(database.raw, "choice-admin", "admin")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    with TestClient(create_app(path)) as client:
        assert client.post("/login", data={"token": token}).status_code == 200
        en = client.get("/models", params={"lang": "en"})
        zh = client.get("/models", params={"lang": "zh-CN"})
    assert en.status_code == zh.status_code == 200
    text = _text(en.text)
    assert "Why this model" in text
    assert "BetaGeo was chosen, decided by the" in text
    assert "BetaGeo (chosen)" in text
    assert "within noise: tie" in text and "beyond noise: out" in text
    assert "paired bootstrap of 1,000 resamples" in text
    # the RMSE gap of BG/NBD to MBG/NBD's lowest RMSE, with its interval
    assert re.search(r"0\.0018 \[-0\.00\d\d, 0\.00\d\d\]", text)
    assert "Holdout: cumulative repeat purchases of every model compared" in text
    assert "The 2,357 customers the models were compared on" in text
    page = _text(zh.text)
    assert "留出期：各候选模型的累计重复购买" in page
    assert "为何选用该模型" in page and "选用 BetaGeo" in page and "在噪声范围内：并列" in page
    section = page[page.index("为何选用该模型"):]
    assert stray_english(section) == []
