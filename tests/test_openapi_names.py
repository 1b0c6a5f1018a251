"""Two plugins may name their API models alike (each has its ``PersonOut``): the OpenAPI
document keeps both schemas -- the later one qualified by its plugin's name -- and each
operation refers to its own.  Before, the second silently took the first one's schema, so the
document described one plugin's answers with the other's fields (Schemathesis then checked
real answers against the wrong schema)."""
from __future__ import annotations

import pytest
from pydantic import BaseModel

from gate_plugins import make_plugin


def _plugin(name: str, model: type[BaseModel]):
    def register_api(api):
        @api.space_route(name, "/people", response=list[model], summary=f"{name} people")
        def people(space):
            return []
    return make_plugin(name, default_enabled=True, register_api=register_api)


def person_with_name():
    class PersonOut(BaseModel):       # discussions' shape
        id: int
        name: str
    return PersonOut


def person_with_display_name():
    class PersonOut(BaseModel):       # pages' shape
        id: int
        display_name: str
    return PersonOut


@pytest.fixture
def placette_extra_plugins():
    return {"gamma": _plugin("gamma", person_with_name()),
            "delta": _plugin("delta", person_with_display_name())}


def test_two_models_with_one_name_keep_their_own_schema(client):
    document = client.get("/api/openapi.json").get_json()
    schemas = document["components"]["schemas"]

    def fields(path):
        ref = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]["items"]["$ref"]
        return set(schemas[ref.rsplit("/", 1)[-1]]["properties"])

    assert fields("/api/v1/spaces/{slug}/gamma/people") == {"id", "name"}
    assert fields("/api/v1/spaces/{slug}/delta/people") == {"id", "display_name"}
