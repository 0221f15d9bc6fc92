"""Schemathesis against the server's OpenAPI schema, with an admin token: no answer is a 5xx,
and every answer conforms to the schema (status codes, content types, bodies). A request that
fits the schema may still be refused with a 400 (an uploaded file's contents, a user name that
is taken), so the "schema-valid request accepted" check is left out.

Requests that fit the schema (20 per operation, all checks) and requests that break it (5 per
operation, no server error). The server is one of its own (a fresh copy of the database),
since fuzzing uploads files and creates users. The operations are walked in one test because
``schemathesis.pytest.from_fixture`` does not run on pytest 9 (it sets ``node._nodeid``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import ApiData, Server, start_server

EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 5}


@pytest.fixture(scope="module")
def fuzz_server(api_data: ApiData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(api_data, tmp_path_factory.mktemp("api-fuzz"))


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        if mode is GenerationMode.POSITIVE:
            case.call_and_validate(headers=headers, additional_checks=[not_a_server_error],
                                   excluded_checks=[positive_data_acceptance])
        else:  # unknown query parameters are ignored, as is usual: only look for server errors
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


def test_schemathesis_finds_no_server_error(fuzz_server: Server):
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
