"""The API answers what its OpenAPI document says, checked by a property-based client.

Schemathesis reads ``/api/openapi.json`` -- kernel and plugins' paths, placette-keys included --
and, for every path and method, generates requests from the declared parameters and bodies (valid
ones, and invalid ones the server must refuse), sends them signed in as an admin with a Bearer
token on the seeded demo city, and checks every answer: no server error, a status code the
document declares, the declared content type, a body valid against the declared schema (dates
included: ``format: date-time`` is checked).

Random strings would rarely name a space or a meeting that exists, so half of the time each path
parameter is swapped for a real one of the demo city: the answers then describe real content.
The run is bounded (:data:`EXAMPLES` requests per operation and mode) to stay under a minute on
SQLite; hypothesis' database is off so every run is the same size.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from placette.identity.tokens import create_token
from placette.models import Space

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def placette_plugins():
    return ["agenda", "documents", "pages", "keys"]


def real_values(city) -> dict[str, list]:
    """Values of the demo city for each path parameter's name."""
    from placette_keys.models import Room
    from placette_plugins.agenda.models import Meeting
    from placette_plugins.documents.models import Document
    from placette_plugins.pages.models import Page
    return {
        "slug": [s.slug for s in Space.select(Space.slug).order_by(Space.id)],
        "name": ["agenda", "documents", "pages", "keys"],
        "meeting_id": [m.id for m in Meeting.select(Meeting.id).limit(50)],
        "document_id": [d.id for d in Document.select(Document.id).limit(50)],
        "number": [1, 2, 3],
        "room_id": [r.id for r in Room.select(Room.id).limit(50)],
        "page_slug": [p.slug for p in Page.select(Page.slug).limit(50)],
    }


def test_the_api_answers_what_its_openapi_document_says(app, demo_city):
    token = create_token(demo_city.accounts["admin"], "contract")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    known = real_values(demo_city)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # kernel and every plugin's paths are there
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = check_operation(operation, mode, known, headers)
            if failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, f"{len(failures)} operations answer what the document does not " \
                         f"say:\n\n" + "\n\n".join(failures)


def check_operation(operation, mode, known, headers) -> str | None:
    """Hypothesis' smallest failing example for this operation and mode, as text, or None."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case, data):
        for name in list(case.path_parameters or {}):
            if known.get(name) and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]),
                                                       label=name)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # Nothing to make invalid (no parameter, no body): only valid requests exist.
        assert mode == GenerationMode.NEGATIVE, operation.label
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 -- all reported at the end
        return _summary(exc)
    return None


def _summary(exc: BaseException) -> str:
    text = str(exc).strip()  # schemathesis' report: what is wrong, the answer, a curl line
    return text if len(text) < 2500 else text[:2500] + " [...]"
