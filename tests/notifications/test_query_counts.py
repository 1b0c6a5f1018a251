"""Pages and the fan-out cost a constant number of queries, whatever the amount of data."""
import placette
from placette.db import query_counter
from placette.models import Event


def fill(spaces, people, note, per_space):
    """``per_space`` events in each space, by various actors, some on members-only items."""
    with placette.atomic():
        for space in spaces:
            for n in range(per_space):
                placette.emit("notes.note.created", space=space, actor=people[n % len(people)],
                              resource=note(space, f"{space.slug} {n}",
                                            visibility="members" if n % 3 == 0 else None))


def queries_for(client, path):
    client.get(path)  # warm caches that do not depend on data (templates, assets)
    query_counter.reset()
    response = client.get(path)
    assert response.status_code == 200
    return query_counter.count


def measure(client, make_user, notes_space, note, sign_in, n_spaces, per_space):
    spaces = [notes_space() for _ in range(n_spaces)]
    viewer = make_user(member_of=spaces)
    people = [make_user(member_of=spaces) for _ in range(3)]
    fill(spaces, people, note, per_space)
    sign_in(viewer)
    pages = {"notifications": "/notifications", "activity": f"/s/{spaces[0].slug}/activity",
             "dashboard": "/", "space home": f"/s/{spaces[0].slug}",
             "api notifications": "/api/v1/notifications",
             "api activity": f"/api/v1/spaces/{spaces[0].slug}/activity"}
    return {name: queries_for(client, path) for name, path in pages.items()}


def test_pages_are_flat(client, make_user, notes_space, note, sign_in):
    small = measure(client, make_user, notes_space, note, sign_in, 1, 2)
    big = measure(client, make_user, notes_space, note, sign_in, 6, 12)
    assert small == big, (small, big)


def fan_out_queries(make_user, notes_space, note, members):
    from placette.notifications.dispatch import dispatch
    space = notes_space()
    people = [make_user(member_of=space) for _ in range(members)]
    for person in people[::4]:  # some want every mail: deliveries are planned for them too
        person.notification_prefs = {"email": "immediate"}
        person.save()
    event = Event.create(name="notes.note.created", plugin="notes", space=space,
                         resource=note(space))
    query_counter.reset()
    assert dispatch(event.id) == members
    return query_counter.count


def test_fan_out_is_flat(app, make_user, notes_space, note):
    queue = app.extensions["placette"].queue
    queue.huey.immediate = False  # count the fan-out alone, not the mails it queues
    try:
        assert fan_out_queries(make_user, notes_space, note, 4) == \
            fan_out_queries(make_user, notes_space, note, 60)
    finally:
        queue.huey.immediate = True
