"""Issue 18, point 4: an animator's CSV dry run does not tell whether an address has an
account (no "new account" / "existing account added" for people they cannot see)."""
from __future__ import annotations

import io

from placette.models import User


def _dry_run(client, content: str):
    data = {"file": (io.BytesIO(content.encode("utf-8")), "membres.csv"), "dry_run": "y"}
    return client.post("/s/quartier-nord/manage/import", data=data,
                       content_type="multipart/form-data")


def test_dry_run_answers_the_same_whether_an_account_exists_or_not(client, make_space,
                                                                   make_user, sign_in):
    council = make_space("quartier-nord", name="Quartier Nord")
    make_user(email="maire@example.org", name="Secret Holder")  # an account elsewhere
    sign_in(make_user(member_of=council, role="animator"))
    known = _dry_run(client, "name;email\nQuelqu'un;maire@example.org\n")
    unknown = _dry_run(client, "name;email\nQuelqu'un;personne@example.org\n")
    assert known.status_code == unknown.status_code == 200

    def result_cell(response):
        html = response.get_data(as_text=True)
        return html[html.index("<tbody>"):html.index("</tbody>")].replace(
            "maire@example.org", "X").replace("personne@example.org", "X")

    assert result_cell(known) == result_cell(unknown)
    html = known.get_data(as_text=True)
    assert "existing account" not in html and "new account" not in html
    assert User.select().where(User.email == "personne@example.org").count() == 0


def test_city_admin_still_sees_which_accounts_exist(client, make_space, make_user, sign_in):
    make_space("quartier-nord", name="Quartier Nord")
    make_user(email="maire@example.org")
    sign_in(make_user(admin=True))
    html = _dry_run(client, "name;email\nA;maire@example.org\nB;personne@example.org\n") \
        .get_data(as_text=True)
    assert "existing account added" in html and "new account" in html


def test_members_already_in_the_space_are_still_reported_as_such(client, make_space, make_user,
                                                                 sign_in):
    council = make_space("quartier-nord", name="Quartier Nord")
    make_user(email="deja@example.org", member_of=council)
    sign_in(make_user(member_of=council, role="animator"))
    html = _dry_run(client, "name;email\nDéjà;deja@example.org\n").get_data(as_text=True)
    assert "already there" in html
