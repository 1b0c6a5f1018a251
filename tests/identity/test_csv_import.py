"""Bringing a council's members in from a spreadsheet: `placette users import CSV --space SLUG
[--dry-run]` and the import page.  A per-row report; nothing written on a dry run or when any
row is invalid."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from placette.models import Membership, User

from .helpers import placette
from .web import text

FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()
GOOD = ("name,email,phone,role,expires_at\n"
        "Martine Dupont,martine@example.org,+33 6 12 34 56 78,member,\n"
        "Karim Benali,KARIM@example.org,,animateur,\n"
        f"Experte Invitée,experte@example.org,,guest,{FUTURE}\n")
BROKEN = ("name,email,role,expires_at\n"
          "Ok Person,ok@example.org,member,\n"
          "Bad Mail,not-an-address,member,\n"
          "Twice,ok@example.org,member,\n"
          "Boss,boss@example.org,emperor,\n"
          "Guest,guest@example.org,guest,\n")


# -- the command line (the real console script) ------------------------------------------------

@pytest.fixture(scope="module")
def cli_instance(migrated_instance):
    here = ["--instance", migrated_instance]
    assert placette("spaces", "create", "quartier-sud", "--name", "Quartier Sud", "--kind",
                    "neighbourhood", *here).returncode == 0
    return migrated_instance


def _statuses(report_json: str) -> dict[str, str]:
    report = json.loads(report_json)
    return {row["email"]: row["status"] for row in report["rows"]}


def test_cli_import_dry_run_then_for_real(cli_instance, tmp_path):
    here = ["--instance", cli_instance]
    sheet = tmp_path / "membres.csv"
    sheet.write_text(GOOD)

    dry = placette("users", "import", sheet, "--space", "quartier-sud", "--dry-run", *here)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert any("martine@example.org" in l and "create" in l for l in lines)
    assert any("karim@example.org" in l and "animator" in l for l in lines)
    assert "Dry run: nothing written" in dry.stdout
    # Nothing was written: a second dry run still plans to create everyone.
    again = placette("users", "import", sheet, "--space", "quartier-sud", "--dry-run",
                     "--json", *here)
    assert set(_statuses(again.stdout).values()) == {"create"}

    real = placette("users", "import", sheet, "--space", "quartier-sud", *here)
    assert real.returncode == 0 and "Imported into quartier-sud" in real.stdout
    after = placette("users", "import", sheet, "--space", "quartier-sud", "--dry-run",
                     "--json", *here)
    assert set(_statuses(after.stdout).values()) == {"unchanged"}


def test_cli_import_with_broken_rows_writes_nothing(cli_instance, tmp_path):
    here = ["--instance", cli_instance]
    sheet = tmp_path / "broken.csv"
    sheet.write_text(BROKEN)
    result = placette("users", "import", sheet, "--space", "quartier-sud", *here)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "Nothing written" in out
    assert "line    3" in out and "invalid e-mail" in out
    assert "same e-mail as line 2" in out
    assert "unknown role 'emperor'" in out
    assert "a guest needs an end date" in out
    # ok@example.org was valid, but nothing was written.
    check = placette("users", "import", sheet, "--space", "quartier-sud", "--dry-run",
                     "--json", *here)
    report = json.loads(check.stdout)
    assert report["ok"] is False and report["written"] is False
    assert report["rows"][0] == {"line": 2, "email": "ok@example.org", "name": "Ok Person",
                                 "role": "member", "status": "create", "message": ""}


def test_cli_import_of_an_excel_file(cli_instance, tmp_path):
    """What French Excel writes: Windows-1252, ';', French headers, a "sep=" line."""
    here = ["--instance", cli_instance]
    sheet = tmp_path / "excel.csv"
    sheet.write_bytes(("sep=;\r\nNom;Courriel;Téléphone;Rôle\r\n"
                       "Hélène Crème;helene@example.org;06 12 34 56 78;Membre\r\n"
                       "François Ñúñez;francois@example.org;;Animatrice\r\n"
                       ).encode("cp1252"))
    result = placette("users", "import", sheet, "--space", "quartier-sud", "--json", *here)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["written"] is True
    assert [(r["line"], r["name"], r["role"]) for r in report["rows"]] == [
        (3, "Hélène Crème", "member"), (4, "François Ñúñez", "animator")]


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"name|email\nA|a@example.org\n", "separated by"),
    (b"nom;telephone\nA;0600000000\n", "missing column(s): email"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV file"),
])
def test_cli_import_of_unusable_files(cli_instance, tmp_path, content, message):
    sheet = tmp_path / "file.csv"
    sheet.write_bytes(content)
    result = placette("users", "import", sheet, "--space", "quartier-sud", "--instance",
                      cli_instance)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert message in result.stdout and "Nothing written" in result.stdout


def test_cli_import_into_an_unknown_space(cli_instance, tmp_path):
    from .helpers import assert_one_line_error
    sheet = tmp_path / "file.csv"
    sheet.write_text(GOOD)
    assert_one_line_error(placette("users", "import", sheet, "--space", "nowhere",
                                   "--instance", cli_instance), "no space with slug 'nowhere'")


# -- the import page (same rules) ----------------------------------------------------------------

@pytest.fixture
def council(make_space):
    return make_space("quartier-nord", name="Quartier Nord")


def _upload(client, content: bytes | str, dry_run: bool, filename="membres.csv"):
    import io
    if isinstance(content, str):
        content = content.encode("utf-8")
    data = {"file": (io.BytesIO(content), filename)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/s/quartier-nord/manage/import", data=data,
                       content_type="multipart/form-data")


def test_import_page(client, council, make_user, sign_in):
    sign_in(make_user(member_of=council, role="animator"))
    page = client.get("/s/quartier-nord/manage/import")
    assert page.status_code == 200 and 'type="file"' in text(page)

    dry = _upload(client, GOOD, dry_run=True)
    assert dry.status_code == 200
    assert "martine@example.org" in text(dry) and "Experte Invitée" in text(dry)
    assert User.select().where(User.email == "martine@example.org").count() == 0

    real = _upload(client, GOOD, dry_run=False)
    assert real.status_code == 200
    martine = User.get(User.email == "martine@example.org")
    assert martine.phone == "+33612345678"  # E.164, as the sms plugin reads numbers
    roles = {m.user.email: (m.role, m.expires_at) for m in
             Membership.select().where(Membership.space == council)}
    assert roles["karim@example.org"] == ("animator", None)
    assert roles["experte@example.org"][0] == "guest"
    assert roles["experte@example.org"][1].date().isoformat() == FUTURE


def test_import_page_with_broken_rows(client, council, make_user, sign_in):
    sign_in(make_user(member_of=council, role="animator"))
    before = User.select().count()
    response = _upload(client, BROKEN, dry_run=False)
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was written" in page
    for reason in ("invalid e-mail", "same e-mail as line 2", "unknown role",
                   "a guest needs an end date"):
        assert reason in page
    assert User.select().count() == before


@pytest.mark.parametrize("content, filename, message", [
    (b"", "vide.csv", "empty"),
    (b"name\tphone\nA\t06\n", "tab.csv", "missing column(s): email"),
    (b"PK\x03\x04\x14\x00\x06\x00", "classeur.csv", "not a CSV file"),
    (b"name,email\nA,a@example.org\n", "classeur.xlsx", ".csv"),
    ("name,email,role,expires_at\nG,g@example.org,guest,2001-01-01\n".encode(), "old.csv",
     "in the past"),
    ('name,email\n"<script>alert(1)</script>",x@example.org\nA\x1bB,y@example.org\n'.encode(),
     "html.csv", "control characters"),
])
def test_import_page_refuses_unusable_files(client, council, make_user, sign_in, content,
                                            filename, message):
    sign_in(make_user(member_of=council, role="animator"))
    before = User.select().count()
    response = _upload(client, content, dry_run=False, filename=filename)
    assert response.status_code == 400
    assert message in text(response)
    assert "<script>alert(1)" not in text(response)
    assert User.select().count() == before


def test_animators_cannot_import_admins(client, council, make_user, sign_in):
    sign_in(make_user(member_of=council, role="animator"))
    response = _upload(client, "name,email,role\nBoss,boss@example.org,admin\n", dry_run=False)
    assert response.status_code == 400
    assert "you cannot give the role" in text(response)
    assert User.get_or_none(User.email == "boss@example.org") is None


def test_members_cannot_import(client, council, make_user, sign_in):
    sign_in(make_user(member_of=council))
    assert client.get("/s/quartier-nord/manage/import").status_code == 404
    assert _upload(client, GOOD, dry_run=False).status_code == 404
    assert User.get_or_none(User.email == "martine@example.org") is None
