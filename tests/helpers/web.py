"""The dashboard in tests: the pages, the browser, the zh-CN wording check and a signed-in
TestClient."""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ADMIN_PASSWORD = "correct-horse-42"
PAGES = ("/overview", "/rfm", "/value", "/lifecycle", "/profile", "/models", "/customers",
         "/actions", "/actions?list=winback", "/voice")
# words a zh-CN page may show: proper nouns, model names, abbreviations, parameter symbols
ALLOWED_LATIN = {"valuecrm", "English", "RFM", "CLV", "P(alive)", "BG/NBD", "NPS", "MVC", "MGC",
                 "BZ", "VIP", "API", "BetaGeo", "GammaGamma", "ParetoNBD", "ModifiedBetaGeo",
                 "MAE", "RMSE", "BIC", "AIC", "SE", "exp", "log", "exp(log", "CSV", "Parquet",
                 "Kruskal", "Wallis", "Cram", "df", "CRV",
                 # the voice of the customer: method names
                 "PLS", "IPMA", "ECSI", "ACSI", "CSAT", "Wilson", "Shapley", "LMG",
                 # service recovery: the estimator (HC3) and the cited authors
                 "HC", "Tax", "Brown", "Chandrashekaran", "Smith", "Bolton", "Wagner",
                 "McCollough", "Bharadwaj", "de", "Matos", "Henrique", "Rossi",
                 # authors of the methods cited
                 "Gupta", "Lehmann", "Stuart", "Kumar", "Petersen", "Leone",
                 "Venzon", "Moolgavkar", "Jones", "Sasser", "Zeithaml", "Sheth", "Newman",
                 "Gross", "Sweeney", "Soutar"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z()/]*")


def page_figures(html: str) -> dict[str, dict]:
    """The chart figures a page embeds, by name (``<script id="figure-NAME">``)."""
    return {name: json.loads(body) for name, body in re.findall(
        r'<script type="application/json" id="figure-(\w+)">(.*?)</script>', html, re.S)}


def page_text(html: str) -> str:
    """The visible text of a page's ``<main>``: no tags, no scripts, entities read, one space."""
    main = html[html.index("<main"):] if "<main" in html else html
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def stray_english(text: str) -> list[str]:
    """Latin words of ``text`` that are neither allowed names nor single letters (R, F, r, a)."""
    found = []
    for word in LATIN_WORD.findall(re.sub(r"\{\w+\}", "", text)):
        word = word.rstrip("(/")
        if len(word) <= 1 or word in ALLOWED_LATIN or re.fullmatch(r"[HL]{3}", word):
            continue
        found.append(word)
    return found


def signed_in(path: Path, name: str, role: str = "admin") -> Iterator[tuple[Any, str]]:
    """FastAPI's TestClient of the app over ``path``, signed in as a new user ``name``, and the
    HTML of the page the sign-in led to (the overview)."""
    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
        from fastapi.testclient import TestClient
    with connect(path) as database:
        token = add_user(database.raw, name, role)[1]
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        answer = client.post("/login", data={"token": token, "next": "/overview"})
        assert answer.status_code == 200, answer.text[:300]
        yield client, answer.text


@contextlib.contextmanager
def served_copy(source: Path, folder: Path, name: str, role: str
                ) -> Iterator[tuple[Any, Any, str]]:
    """FastAPI's TestClient of the app over a copy of ``source`` in ``folder`` (a new user
    ``name`` with ``role`` added), the app, and that user's token."""
    import shutil

    from valuecrm.interfaces.server import create_app
    from valuecrm.store import connect
    from valuecrm.store.users import add_user

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's own deprecation notice about httpx
        from fastapi.testclient import TestClient
    path = folder / "crm.duckdb"
    shutil.copy(source, path)
    with connect(path) as database:
        token = add_user(database.raw, name, role)[1]
    app = create_app(path)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app, token
