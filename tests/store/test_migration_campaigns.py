"""A database of schema version 1 gains the campaigns' PDCA record when opened (the declared
columns and the campaign_results table are added); the data already there stay."""

from __future__ import annotations

import duckdb

from valuecrm.store import SCHEMA_VERSION, TABLES, connect

V1_CAMPAIGNS = ('CREATE TABLE campaigns (campaign_id VARCHAR NOT NULL, name VARCHAR, '
                'kind VARCHAR, channel VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP, '
                'cost_per_contact DOUBLE, offer VARCHAR, PRIMARY KEY (campaign_id))')
V1_MEMBERS = ('CREATE TABLE campaign_members (campaign_id VARCHAR NOT NULL, customer_id VARCHAR '
              'NOT NULL, "group" VARCHAR NOT NULL, assigned_at TIMESTAMP, contacted_at '
              'TIMESTAMP, responded_at TIMESTAMP, PRIMARY KEY (campaign_id, customer_id))')


def test_a_version_1_database_gains_the_campaign_record(tmp_path):
    path = tmp_path / "v1.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE _valuecrm_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    raw.execute("INSERT INTO _valuecrm_meta VALUES ('schema_version', '1')")
    raw.execute(V1_CAMPAIGNS)
    raw.execute(V1_MEMBERS)
    raw.execute("INSERT INTO campaigns (campaign_id, name) VALUES ('K1', 'Spring')")
    raw.execute("INSERT INTO campaign_members VALUES ('K1', 'C1', 'control', NULL, NULL, NULL)")
    raw.close()
    with connect(path) as database:
        assert database.schema_version == SCHEMA_VERSION
        columns = database.table("campaigns").columns
        assert list(columns) == TABLES["campaigns"].column_names
        assert "stratum" in database.table("campaign_members").columns
        assert database.raw.execute("SELECT name, status FROM campaigns").fetchall() == [
            ("Spring", None)]
        assert database.counts()["campaign_results"] == 0
