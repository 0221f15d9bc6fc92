"""Real data bundled with valuecrm, for the demo, the tests and your own experiments.

CDNOW (Fader & Hardie): every purchase of the 23,570 customers who first bought at the online CD
store CDNOW in the first quarter of 1997, followed to 30 June 1998; and the 1/10 systematic
sample of 2,357 customers used in Fader, Hardie & Lee (2005), "Counting your customers the easy
way", Marketing Science 24(2). Redistributed in the ``lifetimes`` 0.11.3 wheel (MIT licence).

Donations: the charity panel of Fader, Hardie & Shang (2010), "Customer-base analysis in a
discrete-time noncontractual setting", Marketing Science 29(6): 11,104 first-time supporters of
1995 and their donations in the 6 annual opportunities 1996-2001, grouped by pattern.

Hillstrom: Kevin Hillstrom's MineThatData e-mail test (March 2008, published freely for
analysis): 64,000 customers randomised into a men's e-mail, a women's e-mail and a no-e-mail
control, with visit, conversion and spend in the two weeks after.

May import: nothing of valuecrm (ground floor): loaders return pandas frames that the
store or the models take (``tests/test_import_graph.py`` checks it).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["data_path", "load_cdnow", "load_cdnow_summary", "load_donations", "load_hillstrom"]

CDNOW_CALIBRATION_END = pd.Timestamp("1997-09-30")
CDNOW_OBSERVATION_END = pd.Timestamp("1998-06-30")


def data_path(name: str) -> Path:
    """Path of a bundled data file."""
    return Path(str(resources.files("valuecrm.datasets") / "data" / name))


def load_cdnow(sample: bool = False) -> pd.DataFrame:
    """The CDNOW purchases, one row per order.

    Columns: ``customer_id`` (text, zero-padded so it sorts numerically), ``ordered_at``
    (purchase date), ``amount`` (dollars), ``quantity`` (number of CDs). With ``sample=True`` the
    2,357-customer sample of the papers, whose ``customer_id`` is the sample id of
    ``load_cdnow_summary()`` (and ``master_customer_id`` the id in the full data).
    """
    if sample:
        names = ["master_customer_id", "customer_id", "date", "quantity", "amount"]
        raw = pd.read_csv(data_path("CDNOW_sample.txt.gz"), sep=r"\s+", header=None,
                          names=names, dtype={"master_customer_id": str, "customer_id": str,
                                              "date": str})
    else:
        raw = pd.read_csv(data_path("CDNOW_master.txt.gz"), sep=r"\s+", header=0,
                          names=["customer_id", "date", "quantity", "amount"],
                          dtype={"customer_id": str, "date": str})
    raw["ordered_at"] = pd.to_datetime(raw.pop("date"), format="%Y%m%d")
    columns = ["customer_id", "ordered_at", "amount", "quantity"]
    if sample:
        columns.append("master_customer_id")
    return raw[columns].reset_index(drop=True)


def load_cdnow_summary(published_names: bool = False) -> pd.DataFrame:
    """The published summary of the CDNOW sample (2,357 customers; calibration ends 1997-09-30;
    times in weeks), the file Fader, Hardie & Lee (2005) fit.

    By default with the columns the models take: ``customer_id`` (the sample id as text, as in
    ``load_cdnow(sample=True)``), ``frequency`` (repeat purchases), ``recency`` (time of the
    last repeat purchase), ``T`` (age at the end of calibration) and ``monetary_value`` (mean
    value of the repeat purchases, 0 without one)::

        >>> from valuecrm import BetaGeo, load_cdnow_summary
        >>> round(BetaGeo().fit(load_cdnow_summary()).params_["r"], 4)
        0.2426

    With ``published_names=True``, the file as published: ``ID``, ``x``, ``t_x``, ``T``,
    ``zbar``.
    """
    published = pd.read_csv(data_path("cdnow_customers_summary_with_transactions.csv"))
    if published_names:
        return published
    return pd.DataFrame({
        "customer_id": published["ID"].map("{:04d}".format),
        "frequency": published["x"], "recency": published["t_x"], "T": published["T"],
        "monetary_value": published["zbar"],
    })


def load_donations() -> pd.DataFrame:
    """The donations panel: ``frequency, recency, periods, weights`` (donors per pattern)."""
    return pd.read_csv(data_path("donations.csv"))


HILLSTROM_ARMS = ("Mens E-Mail", "Womens E-Mail", "No E-Mail")


def load_hillstrom() -> pd.DataFrame:
    """The Hillstrom e-mail test (MineThatData, 2008): 64,000 customers, one row each.

    Features: ``recency`` (months since the last purchase), ``history_segment``, ``history``
    (dollars spent in the past year), ``mens``, ``womens`` (1/0: bought that merchandise in the
    past year), ``zip_code`` (Urban, Surburban [sic], Rural), ``newbie``, ``channel`` (Phone,
    Web, Multichannel). The arm: ``segment`` (Mens E-Mail 21,307; Womens E-Mail 21,387; No
    E-Mail 21,306, the control). Outcomes in the two weeks after: ``visit``, ``conversion``
    (1/0) and ``spend`` (dollars).
    """
    return pd.read_csv(data_path("hillstrom.csv.gz"))
