"""SQL queries per page must not grow with the data: measured with 3 and with 30 spaces and
members, the counts are equal (``placette.db.query_counter``)."""
from __future__ import annotations

import pytest

from placette.db import query_counter
from placette.models import Membership
from placette.roles import forget_roles

from gate_plugins import alpha_plugin, beta_plugin

PAGES = {
    "dashboard": "/",
    "space_home": "/s/home",
    "space_members": "/s/home/members",
    "manage_members": "/s/home/manage/members",
    "manage_modules": "/s/home/manage/modules",
    "spaces_directory": "/spaces",
    "api_spaces": "/api/v1/spaces",
    "api_me": "/api/v1/me",
    "api_members": "/api/v1/spaces/home/members",
    "admin_spaces": "/admin/spaces",
}


@pytest.fixture
def placette_extra_plugins():
    return {"alpha": alpha_plugin(), "beta": beta_plugin()}


def measure(client, pages) -> dict[str, int]:
    counts = {}
    for name, path in pages.items():
        client.get(path)  # warm: first-request work is not what we measure
        query_counter.reset()
        response = client.get(path)
        counts[name] = query_counter.count
        assert response.status_code == 200, (name, response.status_code)
    return counts


@pytest.mark.parametrize("city_admin", [True, False], ids=["city_admin", "animator"])
def test_query_counts_do_not_grow_with_spaces_and_members(client, make_space, make_user,
                                                          sign_in, city_admin):
    home = make_space("home", visibility="members", plugins=["alpha", "beta"])
    viewer = make_user("viewer@example.org", admin=city_admin, member_of=home,
                       role="admin" if city_admin else "animator")
    pages = dict(PAGES)
    if not city_admin:
        del pages["admin_spaces"], pages["manage_modules"]
    created = {"spaces": 0}

    def grow(to: int) -> None:
        visibilities = ("public", "network", "members", "private")
        while created["spaces"] < to:
            n = created["spaces"]
            space = make_space(f"group-{n}", visibility=visibilities[n % 4], kind="group",
                               parents=[home], plugins=["alpha"] if n % 2 else ["beta"])
            Membership.create(user=viewer, space=space, role=("member", "animator")[n % 2])
            make_user(member_of=[home, space], role=("member", "guest")[n % 2])
            created["spaces"] += 1
        forget_roles(viewer)

    sign_in(viewer)
    grow(3)
    small = measure(client, pages)
    grow(30)
    large = measure(client, pages)
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    print("queries per page:", small)
