"""Bad survey input gets an error naming the column, the row and the value."""

from __future__ import annotations

import numpy as np
import pytest

from valuecrm.errors import DataError, ParameterError, SchemaError
from valuecrm.voice import ECSI, PLSPathModel, driver_importance

BLOCKS = {"Quality": ["q1", "q2"], "Satisfaction": ["s1", "s2"]}
PATHS = [("Quality", "Satisfaction")]


def survey(n: int = 60, seed: int = 0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    quality = rng.normal(size=n)
    sat = 0.6 * quality + rng.normal(size=n) * 0.8

    def item(x):
        return np.clip(np.round(5.5 + 2 * (x + rng.normal(size=n) * 0.6)), 1, 10)

    return pd.DataFrame({"q1": item(quality), "q2": item(quality), "s1": item(sat),
                         "s2": item(sat)})


def test_an_answer_outside_the_declared_scale_names_column_row_and_value():
    data = survey()
    data.loc[7, "s2"] = 12
    with pytest.raises(DataError, match=r"Column 's2', row 7: the answer 12 is outside the "
                                        r"item's scale 1-10") as error:
        PLSPathModel(BLOCKS, PATHS, scale=(1, 10)).fit(data)
    assert error.value.details["column"] == "s2" and error.value.status == 422


def test_without_a_declared_scale_one_usual_scale_holds_every_item():
    data = survey()
    data["q2"] = np.clip(data["q2"], 1, 5)  # answered 1-5 only, in a 1-10 survey
    assert set(PLSPathModel(BLOCKS, PATHS).fit(data).scales_.values()) == {(1.0, 10.0)}
    data.loc[3, "q1"] = 0
    assert PLSPathModel(BLOCKS, PATHS).fit(data).scales_["s1"] == (0.0, 10.0)
    data.loc[3, "q1"] = 13
    model = PLSPathModel(BLOCKS, PATHS).fit(data)  # no usual scale holds 13: min-max
    assert model.scales_["q1"] == (1.0, 13.0)
    with pytest.raises(DataError, match="'q1', row 3: the answer 13"):
        PLSPathModel(BLOCKS, PATHS, scale={"q1": (1, 10)}).fit(data)


def test_an_item_nobody_answered():
    data = survey()
    data["q2"] = np.nan
    with pytest.raises(DataError, match="Column 'q2' has no answers at all"):
        PLSPathModel(BLOCKS, PATHS).fit(data)


def test_a_construct_whose_only_item_is_constant():
    data = survey()
    data["c1"] = 4
    blocks = {**BLOCKS, "Complaints": ["c1"]}
    with pytest.raises(DataError, match=r"Column 'c1' \(the only item of the construct "
                                        r"'Complaints'\) has the same answer, 4"):
        PLSPathModel(blocks, [*PATHS, ("Satisfaction", "Complaints")]).fit(data)


def test_too_few_respondents_states_the_rule(mobi):
    with pytest.raises(DataError, match="has 8 respondents; it needs at least 10"):
        PLSPathModel(BLOCKS, PATHS).fit(survey().head(8))
    # ECSI: four paths point at Satisfaction, so the ten-times rule asks for 40
    with pytest.raises(DataError, match="has 39 respondents; it needs at least 40"):
        ECSI.model().fit(mobi.head(39))


def test_a_block_naming_a_missing_column():
    with pytest.raises(SchemaError, match=r"names the column 'q3', which the survey data do "
                                          r"not have\. Columns there: q1, q2, s1, s2"):
        PLSPathModel({"Quality": ["q1", "q3"], "Satisfaction": ["s1", "s2"]}, PATHS).fit(survey())


def test_text_answers_and_wrong_specifications():
    data = survey().astype(object)
    data.loc[5, "s1"] = "7 - agree"
    with pytest.raises(DataError, match=r"Column 's1', row 5: the answer '7 - agree' is not a "
                                        "number"):
        PLSPathModel(BLOCKS, PATHS).fit(data)
    with pytest.raises(ParameterError, match="'scheme' parameter of PLSPathModel must be one of"):
        PLSPathModel(BLOCKS, PATHS, scheme="ridge").fit(survey())
    with pytest.raises(ParameterError, match="path Quality -> Value names the construct 'Value'"):
        PLSPathModel(BLOCKS, [("Quality", "Value")]).fit(survey())
    with pytest.raises(ParameterError, match="cycle"):
        PLSPathModel(BLOCKS, [*PATHS, ("Satisfaction", "Quality")]).fit(survey())
    with pytest.raises(ParameterError, match="'q1' is in two constructs"):
        PLSPathModel({"Quality": ["q1", "q2"], "Satisfaction": ["q1"]}, PATHS).fit(survey())
    with pytest.raises(ParameterError, match="modes"):
        PLSPathModel(BLOCKS, PATHS, modes={"Quality": "C"}).fit(survey())


def test_driver_table_refuses_a_missing_outcome_column():
    with pytest.raises(SchemaError, match="'overall'"):
        driver_importance(survey(), "overall", ["q1", "q2"])
