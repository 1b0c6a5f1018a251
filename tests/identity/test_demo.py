"""`placette demo`: from nothing to a running city with its four accounts, a worker in the same
process, on 127.0.0.1 -- then the same city again on a second run.  Driven like a person would:
the real command in a subprocess, a real HTTP client."""
from __future__ import annotations

import email
import email.policy
import socket
import subprocess


from .helpers import (PLACETTE, Browserless, assert_one_line_error, clean_env, free_port,
                      placette, stop, wait_for, wait_healthy)

PASSWORD = "demo-password-for-tests"
ACCOUNTS = ["admin@example.org", "animatrice@example.org", "membre@example.org",
            "invite@example.org"]


def _start(data_dir, port, logs):
    out = open(logs / f"demo-{port}.out", "w+")
    err = open(logs / f"demo-{port}.err", "w+")
    process = subprocess.Popen([PLACETTE, "demo", "--port", str(port), "--data-dir",
                                str(data_dir), "--password", PASSWORD], env=clean_env(),
                               stdout=out, stderr=err, text=True)
    return process, out, err


def _signed_in(base, account) -> Browserless:
    person = Browserless(base)
    response = person.sign_in_with_password(account, PASSWORD)
    assert response.status_code == 200 and response.url.rstrip("/") == base, response.url
    me = person.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == account
    return person


def _mails(data_dir, address):
    found = []
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in message["To"]:
            found.append(message)
    return found


def test_demo_city_end_to_end(tmp_path):
    data_dir = tmp_path / "demo"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, out, err = _start(data_dir, port, tmp_path)
    try:
        assert wait_healthy(base, process)["status"] == "ok"

        # What each account may see.
        admin = _signed_in(base, "admin@example.org")
        assert admin.get("/admin/").status_code == 200
        assert admin.get("/admin/users").status_code == 200

        animator = _signed_in(base, "animatrice@example.org")
        assert animator.get("/s/quartier-centre-ville/manage/").status_code == 200
        assert animator.get("/s/avis-budget").status_code == 200
        assert animator.get("/admin/").status_code == 404

        member = _signed_in(base, "membre@example.org")
        memberships = {m["space"]: m for m in member.get("/api/v1/me").json()["memberships"]}
        members_only = [slug for slug in memberships
                        if member.get(f"/api/v1/spaces/{slug}").json()["visibility"]
                        == "members"]
        assert members_only, memberships  # member of a members-only council
        assert member.get(f"/s/{members_only[0]}/members").status_code == 200
        assert member.get("/s/avis-budget").status_code == 404  # the private group: not there
        assert member.get("/api/v1/spaces/avis-budget").status_code == 404
        assert "avis-budget" not in member.get("/api/v1/spaces?per_page=500").text
        assert member.get("/admin/").status_code == 404

        guest = _signed_in(base, "invite@example.org")
        mine = guest.get("/api/v1/me").json()["memberships"]
        assert [(m["space"], m["role"]) for m in mine] == [("avis-budget", "guest")]
        assert mine[0]["expires_at"]  # expiring
        assert guest.get("/s/avis-budget").status_code == 200
        assert guest.get(f"/s/{members_only[0]}/members").status_code == 404

        # A city: about a dozen councils, working groups, 200 members, every visibility.
        spaces = admin.get("/api/v1/spaces?per_page=500").json()
        kinds = [s["kind"] for s in spaces]
        assert 10 <= kinds.count("neighbourhood") + kinds.count("thematic") <= 16
        assert kinds.count("group") >= 2
        assert {s["visibility"] for s in spaces} == {"public", "network", "members", "private"}
        people = set()
        for space in spaces:
            listing = admin.get(f"/api/v1/spaces/{space['slug']}/members?per_page=500")
            people |= {m["id"] for m in listing.json()}
        assert len(people) == 200

        # The worker runs inside the demo: a sign-in link is really delivered.
        visitor = Browserless(base)
        response = visitor.post_form("/auth/sign-in", data={"email": "membre@example.org"})
        assert response.status_code == 200
        mail = wait_for(lambda: _mails(data_dir, "membre@example.org"), 30,
                        what="the demo's worker to deliver the mail")[0]
        assert f"{base}/auth/link/" in mail.get_body(("plain",)).get_content()
    finally:
        stop(process)
    out.seek(0)
    printed = out.read()
    for account in ACCOUNTS:
        assert account in printed
    assert PASSWORD in printed and base in printed and str(data_dir) in printed

    # A second run reuses the city (no new seeding), on another port.
    port2 = free_port()
    base2 = f"http://127.0.0.1:{port2}"
    process, out, err = _start(data_dir, port2, tmp_path)
    try:
        wait_healthy(base2, process)
        member = _signed_in(base2, "membre@example.org")
        assert member.get("/s/avis-budget").status_code == 404
        visitor = Browserless(base2)
        visitor.post_form("/auth/sign-in", data={"email": "invite@example.org"})
        mail = wait_for(lambda: _mails(data_dir, "invite@example.org"), 30,
                        what="the second run's worker")[0]
        # Links follow the port of this run.
        assert f"{base2}/auth/link/" in mail.get_body(("plain",)).get_content()
    finally:
        stop(process)
    out.seek(0)
    printed = out.read()
    assert "Reusing the demo instance" in printed and "Seeding" not in printed


def test_demo_options_and_mistakes(tmp_path):
    result = placette("demo", "--help")
    assert "--data-dir" in result.stdout and ".local/share/placette/demo" in result.stdout
    assert_one_line_error(placette("demo", "--password", "short", "--data-dir",
                                   tmp_path / "d", "--no-serve"), "at least 10 characters")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert_one_line_error(placette("demo", "--port", port, "--data-dir", tmp_path / "d"),
                              f"port {port}", "--port")
    assert not (tmp_path / "d").exists()  # nothing created for nothing


def test_default_data_dir(monkeypatch, tmp_path):
    from placette.demo.runner import default_data_dir
    monkeypatch.delenv("PLACETTE_DEMO_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "placette" / "demo"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "placette" / "demo"
    monkeypatch.setenv("PLACETTE_DEMO_DIR", str(tmp_path / "chosen"))
    assert default_data_dir() == tmp_path / "chosen"
