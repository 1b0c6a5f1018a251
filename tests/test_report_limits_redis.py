"""With Redis configured, the report-flood limit is shared by every web process."""
from __future__ import annotations

import pytest

from placette.notes import publish_note


@pytest.fixture
def placette_settings(request):
    if "redis_server" not in request.fixturenames:
        return {}
    url = request.getfixturevalue("redis_server")
    return {"redis_url": url, "report_rate_limit": "2 per minute"}


@pytest.mark.redis
def test_the_report_limit_is_shared_through_redis(redis_server, app, placette_config, client,
                                                  make_space, make_user, sign_in):
    import redis

    from placette.app import create_app
    store = redis.Redis.from_url(redis_server)
    for key in store.scan_iter("*placette-reports*"):
        store.delete(key)
    space = make_space("centre")
    author = make_user(member_of=space)
    reporter = make_user(member_of=space)
    notes = [publish_note(space, author, f"Note {n}", "") for n in range(3)]
    sign_in(reporter)
    for note in notes[:2]:
        assert client.post("/api/v1/reports", json={"resource": note.key,
                                                    "reason": "x"}).status_code == 201
    other_process = create_app(config=placette_config, testing=True, check_migrations=False)
    other_client = other_process.test_client()
    with other_client.session_transaction() as session:
        session["_user_id"] = reporter.get_id()
        session["_fresh"] = True
    response = other_client.post("/api/v1/reports", json={"resource": notes[2].key,
                                                          "reason": "x"})
    assert response.status_code == 429
    for key in store.scan_iter("*placette-reports*"):
        store.delete(key)
