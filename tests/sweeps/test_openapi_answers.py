"""The answers match the OpenAPI document: valid requests for every described operation,
against a real server with real data, and each 2xx answer checked against its schema
(``TISSERAND_SWEEP_EXAMPLES`` examples per operation, default 4)."""

from __future__ import annotations

import os
import random
import re
from typing import Any

import pytest
import requests

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from tests.sweeps.test_openapi_sweep import SKIPPED, _aim  # noqa: E402

EXAMPLES = int(os.environ.get("TISSERAND_SWEEP_EXAMPLES", "4"))
_REASON = re.compile(r"\n\s+(.*? is a required property|.*? is not of type .*?|.*? is not valid under .*?|"
                     r".*? is not one of .*?)\n")


def test_answers_match_their_schemas(live):
    server, seeded = live
    schema = schemathesis.openapi.from_url(server.url + "/api/v1/openapi.json")
    session = requests.Session()
    problems: dict[str, str] = {}
    checked: list[str] = []
    rng = random.Random(3)
    for result in schema.get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        current = key  # probe runs right away, in this iteration

        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
               who=st.sampled_from([seeded.token, seeded.member_token]))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def probe(case: Any, who: str) -> None:
            _aim(case, seeded, rng)
            response = case.call(session=session, headers={"Authorization": f"Bearer {who}"}, timeout=30)
            if response.status_code >= 300 or "json" not in str(response.headers.get("content-type")):
                return
            checked.append(current)  # noqa: B023
            try:
                case.validate_response(response, checks=[schemathesis.checks.response_schema_conformance])
            except BaseException as exc:  # schemathesis raises a failure group
                problems[current] = "; ".join(_REASON.findall(str(exc)))[:300] or str(exc)[:300]  # noqa: B023

        probe()
    assert len(set(checked)) > 30, sorted(set(checked))
    assert problems == {}
