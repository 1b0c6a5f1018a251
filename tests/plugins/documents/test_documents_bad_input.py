"""Bad input: clear error, nothing stored, nothing leaked."""
from __future__ import annotations

import pytest

from placette_plugins.documents.models import Document, Version


@pytest.fixture
def placette_settings():
    # A lower unpacked-size bound than the default 256 MB keeps the zip-bomb test quick.
    return {"plugin": {"documents": {"max_unpacked_mb": 32}}}


@pytest.fixture
def space(make_space, make_user, sign_in):
    space = make_space("quartier", plugins=["documents"],
                       settings={"documents": {"max_file_mb": 1, "quota_mb": 2}})
    sign_in(make_user(member_of=space))
    return space


def _refused(response, text=None):
    body = response.get_data(as_text=True)
    assert response.status_code in (409, 413, 422), (response.status_code, body[:500])
    if text:
        assert text in body, body[-3000:]
    return body


CASES = [
    ("empty.pdf", lambda s: b"", "empty_file"),
    ("programme.pdf", lambda s: s.exe(), "executable"),
    ("rapport.pdf", lambda s: s.elf(), "executable"),
    ("logo.svg", lambda s: s.svg(), "svg_refused"),
    ("logo.png", lambda s: s.svg(), "svg_refused"),
    ("photo.jpg", lambda s: s.png(), "content_mismatch"),
    ("cr.pdf", lambda s: s.docx(), "content_mismatch"),
    ("texte.odt", lambda s: s.docx(), "content_mismatch"),
    ("script.sh", lambda s: b"echo hello", "type_not_allowed"),
    ("bomb.docx", lambda s: s.zip_bomb_docx(40), "archive_too_large"),
    ("lying.docx", lambda s: s.lying_zip_docx(), "damaged"),
    ("method99.docx", lambda s: s.unknown_method_docx(), "damaged"),
    ("huge.png", lambda s: s.png_bomb(), "image_too_large"),
    ("notes.txt", lambda s: b"\x00\x01\x02binary", "content_mismatch"),
    ("....", lambda s: s.pdf(), "bad_name"),
    ("\x01\x02.pdf", lambda s: s.pdf(), "bad_name"),
]


@pytest.mark.parametrize("name,make,code", CASES, ids=[c[2] + ":" + c[0] for c in CASES])
def test_refused_files_leave_nothing(client, space, sample, upload, stored, uploads_dir, name,
                                     make, code):
    response = upload(space, [(name, make(sample))], json=True)
    assert response.status_code in (413, 422), response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert Document.select().count() == 0
    assert stored() == []
    tmp = uploads_dir / ".tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_unknown_compression_method_says_the_archive_does_not_unpack(client, space, sample,
                                                                    upload, stored):
    response = upload(space, [("method99.docx", sample.unknown_method_docx())], json=True)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "does not unpack" in response.get_json()["error"]["message"]
    assert stored() == [] and Document.select().count() == 0


def test_html_form_shows_each_refusal_and_keeps_what_was_typed(client, space, sample, upload,
                                                                stored):
    response = upload(space, [("ok.pdf", sample.pdf()), ("virus.pdf", sample.exe())],
                      title="Mon titre", description="Ma description", tags="budget")
    body = _refused(response, "virus.pdf")
    assert "program" in body or "programme" in body
    assert "Ma description" in body and "budget" in body
    assert Document.select().count() == 0 and stored() == []


def test_file_over_the_limit(client, space, upload, stored):
    response = upload(space, [("gros.txt", b"a" * (1024 * 1024 + 1))], json=True)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "file_too_large"
    assert stored() == []


def test_quota_exceeded(client, space, upload, stored):
    first = upload(space, [("a.txt", b"a" * 900_000), ("b.txt", b"b" * 900_000)], json=True)
    assert first.status_code == 201
    response = upload(space, [("c.txt", b"c" * 600_000)], json=True)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "quota_exceeded"
    assert "Mo" in error["message"] or "MB" in error["message"]
    assert len(stored()) == 2


def test_duplicate_names_are_refused(client, space, sample, upload, stored):
    assert upload(space, [("cr.pdf", sample.pdf())], json=True).status_code == 201
    response = upload(space, [("CR.pdf", sample.pdf())], json=True)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "duplicate_name"
    twice = upload(space, [("x.pdf", sample.pdf()), ("x.pdf", sample.pdf())], json=True)
    assert twice.status_code == 409
    assert len(stored()) == 1


def test_path_and_control_characters_are_cleaned(client, space, sample, upload, stored,
                                                 instance_dir):
    response = upload(space, [("../../../etc/pass\x07wd\t.pdf", sample.pdf()),
                              ("..\\..\\win\u202e.txt", b"hello")], json=True)
    assert response.status_code == 201, response.get_json()
    names = sorted(v.file_name for v in Version.select())
    assert names == ["passwd.pdf", "win.txt"]
    assert all(p.is_relative_to(instance_dir / "uploads" / "documents") for p in stored())
    assert not (instance_dir.parent / "etc").exists()


def test_name_cleaning_rules():
    from placette_plugins.documents.names import clean_filename
    assert clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_filename("C:\\Users\\x\\cr\x00\n.pdf") == "cr.pdf"
    assert clean_filename("  .hidden.pdf") == "hidden.pdf"
    assert clean_filename('a<b>:"c|?*.pdf') == "a_b___c___.pdf"
    assert clean_filename("Réunion du 3 mars.odt") == "Réunion du 3 mars.odt"
    assert clean_filename("..") == "" and clean_filename("\x01\x02") == ""
    long = clean_filename("x" * 400 + ".pdf")
    assert len(long) <= 150 and long.endswith(".pdf")


def test_empty_form_asks_for_a_file(client, space):
    response = client.post(f"/s/{space.slug}/documents/upload", data={"title": "x"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose at least one file" in response.get_data(as_text=True) or \
        "Choisissez" in response.get_data(as_text=True)


def test_upload_into_a_space_or_folder_one_cannot_see_is_404(client, make_space, make_user,
                                                            sign_in, sample, upload, stored):
    private = make_space("prive", visibility="private", plugins=["documents"])
    open_space = make_space("ouvert", plugins=["documents"])
    animator = make_user(member_of=[open_space], role="animator")
    from placette_plugins.documents import library
    with client.application.test_request_context():
        folder = library.create_folder(open_space, animator, "Brouillons",
                                       visibility_value="animators")
    sign_in(make_user(member_of=open_space))
    assert upload(private, [("a.pdf", sample.pdf())]).status_code == 404
    assert upload(open_space, [("a.pdf", sample.pdf())], folder=folder).status_code == 404
    assert client.get(f"/s/ouvert/documents/upload?folder={folder.id}").status_code == 404
    assert stored() == [] and Document.select().count() == 0


def test_interrupted_upload_leaves_nothing(live_url, app, make_space, make_user, stored,
                                           uploads_dir):
    """A client that disconnects in the middle of its body: no row, no file, no temp file."""
    import socket
    from urllib.parse import urlparse
    space = make_space("coupure", visibility="public", plugins=["documents"])
    user = make_user(member_of=space)
    # A signed session cookie for this user, from the app itself.
    with app.test_client() as c:
        with c.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        cookie = c.get_cookie("session").value
    boundary = "XXBOUNDARY"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
    body = head + b"a" * 200_000
    total = len(body) + 5_000_000
    target = urlparse(live_url)
    with socket.create_connection((target.hostname, target.port)) as sock:
        sock.sendall((f"POST /s/coupure/documents/upload HTTP/1.1\r\nHost: {target.netloc}\r\n"
                      f"Cookie: session={cookie}\r\nContent-Type: multipart/form-data; "
                      f"boundary={boundary}\r\nContent-Length: {total}\r\n\r\n").encode() + body)
    import time
    time.sleep(0.5)
    assert Document.select().count() == 0
    assert stored() == []
    assert not [p for p in (uploads_dir / ".tmp").glob("*")] if uploads_dir.exists() else True
