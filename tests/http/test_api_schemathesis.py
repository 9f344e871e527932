"""schemathesis against the served OpenAPI schema: every operation, valid and invalid
inputs, as organization A's admin with a bearer token; path ids are drawn from both
organizations' objects as well as generated.

Checked for every response: no 5xx, a documented status code and content type, a body
that fits the documented schema; an id of organization B is always a 404.

Requests go through the one test client (tests/csrf_client.py), so each runs its
after-commit work as a committed request would. Bounded: a fixed number of examples per
operation, derandomized, no deadline (the whole run takes well under a minute).
"""

from __future__ import annotations

import os
from collections import Counter
from http.cookies import SimpleCookie

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_world import seed_world
from tests.csrf_client import CsrfClient

pytestmark = pytest.mark.django_db

# The first database pass sends schemathesis's coverage cases (boundary values, wrong
# types, missing fields: about 100 per operation) and 15 generated examples per operation.
# CI's second pass (on PostgreSQL, CHAINPROOF_TESTS_SECOND_DATABASE=1) repeats the first 8
# of the same deterministic generated examples only: what differs by database (types,
# constraints, errors) shows in any request that reaches it, and the coverage cases test
# the API's validation, which is the same on every database.
SECOND_PASS = os.environ.get("CHAINPROOF_TESTS_SECOND_DATABASE") == "1"
EXAMPLES = 8 if SECOND_PASS else 15
MODES = (
    [HypothesisTestMode.EXAMPLES, HypothesisTestMode.FUZZING]
    if SECOND_PASS
    else list(HypothesisTestMode)
)
# Operations whose every valid request does heavy, already well-tested work get fewer
# examples: building a package draws, signs and stores a PDF and a ZIP (about a second);
# its only input is the case id in the path.
FEWER = {"POST /api/v1/cases/{case_id}/packages": 4}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SENT: list[int] = []  # statuses of every request made, for the figures
PHASES: Counter[str] = Counter()  # requests by schemathesis phase (examples, coverage, fuzzing)


@pytest.fixture
def world(alice, bob, refdata):
    return seed_world(alice, bob)


def _schema():
    """The schema the API serves at /api/v1/openapi.json (a test below checks that they
    are the same); loaded eagerly, as schemathesis's lazy loader needs a pytest internal
    that pytest 9 no longer has."""
    from chainproof.api.root import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.config.generation.update(
        modes=["positive", "negative"], max_examples=EXAMPLES, deterministic=True
    )
    return loaded


schema = _schema()


def test_the_served_schema_is_the_one_tested(world):
    served = CsrfClient().get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {world.token}")
    assert served.status_code == 200, served.content[:200]
    assert served.json() == schema.raw_schema


def _send(client: CsrfClient, case, token: str):
    """The case through the test client, and the answer as schemathesis reads it. The
    request is the one schemathesis would send (its serializers make the body)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("timeout", None)
    kwargs.pop("allow_redirects", None)
    headers = {k: v for k, v in kwargs.pop("headers", {}).items() if k.lower() != "authorization"}
    sent = requests.Request(headers=headers, **kwargs).prepare()
    url = sent.path_url
    body = sent.body or b""
    body = body.encode() if isinstance(body, str) else body
    extra = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in sent.headers.items()
        if k.lower() not in ("content-type", "content-length")
    }
    try:
        answer = client.generic(
            sent.method,
            url,
            body,
            content_type=sent.headers.get("Content-Type", "application/json"),
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **extra,
        )
    except Exception:  # the test client raises what the view raised: a 500
        SENT.append(500)
        raise
    SENT.append(answer.status_code)
    PHASES[case.meta.phase.name.value if case.meta else "?"] += 1
    return answer, Response(
        status_code=answer.status_code,
        headers={k.lower(): [v] for k, v in answer.headers.items()},
        # A file download streams (and re-hashes) its content: read it whole here.
        content=b"".join(answer.streaming_content) if answer.streaming else answer.content,
        request=sent,
        elapsed=0.0,
        verify=True,
    )


def _probe(operation, world, client: CsrfClient) -> None:
    """Requests to one operation: the schema's examples, schemathesis's coverage cases
    (boundary values: huge and negative numbers, nulls, wrong types, missing fields), and
    EXAMPLES generated ones, valid and invalid. Each request starts as a new client's
    would, with no cookies (one client is reused: a new one loads every middleware again,
    which took a third of this test's time)."""

    turn = iter(range(10**9))

    def run(case):
        # Ids in turn from A, from B, or as generated (schemathesis's coverage cases vary
        # the path, body and query; the turn picks whose objects the ids name).
        other_org = False
        for name in case.path_parameters or {}:
            pools = {org: world.ids[org].get(name) for org in ("a", "b")}
            i = next(turn)
            org = ("a", "b", "generated")[i % 3]
            if pools["a"] and org != "generated":
                case.path_parameters[name] = pools[org][i // 3 % len(pools[org])]
                other_org = other_org or org == "b"
        client.cookies = SimpleCookie()
        answer, response = _send(client, case, world.token)
        case.validate_response(response, checks=CHECKS)
        if other_org and case.method.upper() == operation.method.upper():
            # refused (an invalid body may be refused before the id is looked up)
            assert answer.status_code in (400, 404, 422), (case.operation.label, answer.status_code)

    test = create_test(
        operation=operation,
        test_func=run,
        config=HypothesisTestConfig(
            project=schema.config,
            modes=MODES,
            settings=settings(
                max_examples=FEWER.get(operation.label, EXAMPLES),
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: reported as found
                suppress_health_check=list(HealthCheck),
            ),
        ),
    )
    test()


def test_api_conforms_and_never_fails(world):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 57
    SENT.clear()
    failures = {}
    client = CsrfClient()
    for operation in operations:
        try:
            _probe(operation, world, client)
        except Exception as exc:  # collected, so one run reports every failing operation
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    server_errors = [s for s in SENT if s >= 500]
    print(  # noqa: T201  (the figures, shown with -s)
        f"schemathesis: {len(SENT)} requests {dict(PHASES)}, {len(server_errors)} 5xx, "
        f"{len(failures)} failing operations"
    )
    assert len(SENT) >= (7 if SECOND_PASS else 20) * len(operations)
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
