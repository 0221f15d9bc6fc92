"""Schemathesis against the server's OpenAPI schema, with an admin token and every check it has
(no 5xx; status codes, content types, headers and bodies as documented; schema-valid requests
accepted, invalid ones refused; ...).

Refusals of schema-valid requests are expected where the schema cannot know them: an
uploaded file whose contents are not a valid table (``POST /api/ingest/{table}``), an
analysis as of a day outside the data's orders (``POST /api/analyses``, 422 naming ``as_of``),
a migration from a snapshot to itself (``GET /api/migration``, 400), cohorts up to a day
before the first order (``GET /api/cohorts``, 422), a holdout evaluation whose dates do not
fit the orders (``GET /api/models/holdout``, 400 or 422), campaign steps out of order,
loyalty days the calendar lacks or rules the rules file's checks refuse (400), and the
satisfaction index, IPMA and drivers on too few survey answers (``GET /api/voice/...``, 422).
Only those exact answers are let through; every other check applies to them too. The same
are declared in ``schemathesis.toml`` for the command line (``st run URL/openapi.json --checks
all -H "Authorization: Bearer TOKEN"`` finds nothing).

Requests that fit the schema (20 per operation) and requests that break it (5 per operation).
The server is one of its own (a fresh copy of the database), since fuzzing uploads files and
creates users. The operations are walked in one test because
``schemathesis.pytest.from_fixture`` does not run on pytest 9 (it sets ``node._nodeid``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.helpers.servers import ApiData, Server, start_server

EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 5}


@pytest.fixture(scope="module")
def fuzz_server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(api_data, tmp_path_factory.mktemp("api-fuzz"))


# schema-valid requests the server refuses, and why: (method, path) -> (status, error code,
# the field named, if any)
REQUEST_TIMEOUT = 300  # seconds: generous, a hung server still fails the test

EXPECTED_REFUSALS = {
    ("POST", "/api/ingest/{table}"): {(400, "bad_source", None), (400, "schema_error", None),
                                      (422, "ingest_rejected", None)},
    ("POST", "/api/analyses"): {(422, "invalid_request", "body.as_of")},
    # the same snapshot on both sides (or the earlier one later), as 'valuecrm migration'
    ("GET", "/api/migration"): {(400, "bad_parameter", None)},
    # a day before the first order: no cohort yet, as 'valuecrm cohorts'
    ("GET", "/api/cohorts"): {(422, "unusable_data", None)},
    # a holdout evaluation whose calibration period does not end before its holdout, or ends
    # after the last order (400), or holds no customer (422), as 'valuecrm evaluate-holdout'
    ("GET", "/api/models/holdout"): {(400, "bad_parameter", None), (422, "unusable_data", None)},
    # campaigns: a step taken out of order (measuring before the launch), a target no customer
    # is in, a taken id, a group of fewer than 2, a sample size asked of neither an effect
    # nor a number of customers
    ("POST", "/api/campaigns"): {(400, "bad_parameter", None), (409, "already_exists", None)},
    ("POST", "/api/campaigns/{campaign_id}/assignment"): {(400, "bad_parameter", None),
                                                          (422, "unusable_data", None)},
    ("POST", "/api/campaigns/{campaign_id}/launch"): {(400, "bad_parameter", None),
                                                      (422, "unusable_data", None)},
    ("GET", "/api/campaigns/{campaign_id}/treatment-list"): {(422, "unusable_data", None)},
    ("POST", "/api/campaigns/{campaign_id}/measurement"): {(400, "bad_parameter", None),
                                                           (422, "unusable_data", None)},
    ("POST", "/api/campaigns/{campaign_id}/decision"): {(400, "bad_parameter", None)},
    ("POST", "/api/sample-size"): {(400, "bad_parameter", None)},
    ("GET", "/api/campaigns/{campaign_id}/next-list"): {(400, "bad_parameter", None),
                                                        (422, "unusable_data", None)},
    # loyalty: a day the calendar lacks (2025-02-30) or outside 1900-2200; rules that the
    # rules file's checks refuse (unknown keys, overlapping tiers, unknown categories)
    ("GET", "/api/loyalty"): {(400, "bad_parameter", None)},
    ("GET", "/api/loyalty/tiers"): {(400, "bad_parameter", None)},
    ("GET", "/api/loyalty/members"): {(400, "bad_parameter", None)},
    ("POST", "/api/loyalty/what-if"): {(400, "bad_parameter", None), (400, "bad_source", None)},
    # the satisfaction index, its IPMA and the key drivers on too few survey answers for the
    # model (this base has a dozen), as 'valuecrm voice pls'
    **{("GET", f"/api/voice/{name}"): {(422, "unusable_data", None)}
       for name in ("index", "ipma", "drivers")},
    # surveys: an upload or a model file that is not a survey, a question or survey not
    # stored, too few answers for the model, as 'valuecrm voice import|pls|quadrants|value'
    ("POST", "/api/voice/surveys"): {(400, "bad_source", None), (400, "schema_error", None),
                                     (400, "bad_parameter", None),
                                     (422, "ingest_rejected", None),
                                     (422, "unusable_data", None)},
    **dict.fromkeys([("POST", "/api/voice/surveys/{survey}/pls"),
                     ("GET", "/api/voice/quadrants"), ("GET", "/api/voice/quadrants/customers"),
                     ("GET", "/api/voice/quadrants/export"),
                     ("GET", "/api/voice/perceived-value")],
                    frozenset({(400, "schema_error", None), (400, "bad_parameter", None),
                               (404, "not_found", None), (422, "unusable_data", None),
                               (422, "did_not_converge", None)})),
}


def expected_refusal(response, case) -> bool:
    """Whether ``response`` is one of the refusals the schema cannot describe."""
    allowed = EXPECTED_REFUSALS.get((case.operation.method.upper(), case.operation.path))
    try:
        body = response.json() if allowed else None
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    named = None
    if body.get("error") == "invalid_request":
        places = {e.get("location") for e in (body.get("details") or {}).get("errors", [])}
        named = places.pop() if len(places) == 1 else "several fields"
    return (response.status_code, body.get("error"), named) in allowed


@schemathesis.check
def valid_data_accepted_unless_expected(ctx, response, case):
    """``positive_data_acceptance``, except for the refusals in EXPECTED_REFUSALS."""
    if expected_refusal(response, case):
        return None
    return positive_data_acceptance(ctx, response, case)


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
        # a case that breaks the Authorization header is sent as generated (and gets 401)
        sent = {} if header is not None and header.mode.is_negative else headers
        # schemathesis' own 10 s request timeout fails a first, uncached answer on a loaded
        # CI machine, and its fast cached retry makes Hypothesis call the case unreliable
        case.call_and_validate(headers=sent, timeout=REQUEST_TIMEOUT,
                               additional_checks=[valid_data_accepted_unless_expected],
                               excluded_checks=[positive_data_acceptance])

    run()


def test_schemathesis_with_every_check_finds_nothing(fuzz_server: Server):
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzz_server.tokens['admin']}"}
    failures, fuzzed = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzzed.append(operation.label)
        for mode in EXAMPLES:
            try:
                fuzz(operation, mode, headers)
            except Unsatisfiable:  # nothing to break: the operation takes no input
                assert mode is GenerationMode.NEGATIVE and operation.path == "/api/health"
            except Exception as error:  # collect every operation's failure, then report
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert len(fuzzed) >= 11
    assert not failures, "\n\n".join(failures) + "\n\nServer log:\n" + (
        fuzz_server.log_path.read_text()[-5000:])
