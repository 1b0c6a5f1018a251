"""The API answers what its OpenAPI document says, checked by a property-based client.

Schemathesis reads ``/api/openapi.json`` -- kernel and plugins' paths, placette-keys included --
and, for every path and method, generates requests from the declared parameters and bodies (valid
ones, and invalid ones the server must refuse), sends them signed in as an admin with a Bearer
token on the seeded demo city, and checks every answer: no server error, a status code the
document declares, the declared content type, a body valid against the declared schema (dates
included: ``format: date-time`` is checked).

Random strings would rarely name a space or a meeting that exists, so half of the time the path
parameters are swapped for those of a real thing of the demo city (a meeting and its space's
slug): the answers then describe real content, and most operations must have answered 2xx.
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
    return ["agenda", "documents", "pages", "keys", "voting", "showcase", "drafting", "sms"]


def real_paths(city) -> list[dict]:
    """Path parameters naming real things of the demo city, together (a meeting with its
    space's slug): a random meeting id with a random space would rarely be found."""
    from placette_keys.models import Room
    from placette_plugins.agenda.models import Meeting
    from placette_plugins.documents.models import Document
    from placette_plugins.pages.models import Page
    from placette_plugins.drafting.models import Draft
    from placette_plugins.showcase.models import Item
    from placette_plugins.voting.models import Poll, Proposal
    slug = {s.id: s.slug for s in Space.select(Space.id, Space.slug)}
    found = [{"slug": s, "name": p} for s in slug.values()
             for p in ("agenda", "documents", "pages", "keys", "voting", "showcase", "drafting",
                       "sms")]
    found += [{"slug": slug[m.space_id], "meeting_id": m.id}
              for m in Meeting.select(Meeting.id, Meeting.space).limit(40)]
    found += [{"slug": slug[d.space_id], "document_id": d.id, "number": n}
              for d in Document.select(Document.id, Document.space).limit(40) for n in (1, 2)]
    found += [{"slug": slug[r.space_id], "room_id": r.id} for r in Room.select().limit(20)]
    found += [{"slug": slug[p.space_id], "page_slug": p.slug} for p in Page.select().limit(20)]
    found += [{"slug": slug[p.space_id], "poll_id": p.id} for p in Poll.select().limit(20)]
    found += [{"slug": slug[p.space_id], "proposal_id": p.id}
              for p in Proposal.select().limit(20)]
    found += [{"slug": slug[i.space_id], "item_id": i.id} for i in Item.select().limit(20)]
    found += [{"slug": slug[d.space_id], "draft_id": d.id} for d in Draft.select().limit(20)]
    # A draft's paragraphs, versions and amendments: the paths under a draft need them together.
    from placette_plugins.drafting import service as drafting
    from placette_plugins.drafting.models import Amendment
    for draft in Draft.select().limit(6):
        current = drafting.version_of(draft)
        for paragraph in drafting.paragraphs(current)[:3]:
            found.append({"slug": slug[draft.space_id], "draft_id": draft.id,
                          "pid": paragraph.id, "number": current.number})
        found += [{"slug": slug[draft.space_id], "draft_id": draft.id, "amendment_id": a.id}
                  for a in Amendment.select().where(Amendment.draft == draft.id).limit(3)]
    return found


def test_the_api_answers_what_its_openapi_document_says(app, demo_city):
    token = create_token(demo_city.accounts["admin"], "contract")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    known = real_paths(demo_city)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # kernel and every plugin's paths are there
    failures, succeeded = [], set()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = check_operation(operation, mode, known, headers, succeeded)
            if failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, f"{len(failures)} operations answer what the document does not " \
                         f"say:\n\n" + "\n\n".join(failures)
    # Not only refusals were checked: most operations answered real content at least once.
    # (54 of 68 today: random bodies seldom make a valid meeting, upload, report or ballot.)
    assert len(succeeded) >= len(operations) * 3 // 4, sorted(
        {o.label for o in operations} - succeeded)


def check_operation(operation, mode, known, headers, succeeded: set[str]) -> str | None:
    """Hypothesis' smallest failing example for this operation and mode, as text, or None."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case, data):
        names = set(case.path_parameters or {})
        fitting = [k for k in known if names and names <= set(k)]
        if fitting and data.draw(st.booleans(), label="real path"):
            real = data.draw(st.sampled_from(fitting), label="path")
            case.path_parameters.update({name: real[name] for name in names})
        response = case.call(headers=headers)
        if response.status_code < 300:
            succeeded.add(operation.label)
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
