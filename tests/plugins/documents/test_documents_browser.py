"""In a real browser: upload several files (with and without JavaScript), describe the photos,
browse the gallery with the keyboard."""
from __future__ import annotations

import pytest

from placette_plugins.documents.models import Document

pytestmark = pytest.mark.browser


def _session_cookie(app, user) -> str:
    with app.test_client() as c:
        with c.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return c.get_cookie("session").value


def _files(tmp_path, sample):
    paths = []
    for index, colour in enumerate([(200, 40, 40), (40, 160, 40), (40, 40, 200)]):
        path = tmp_path / f"photo-{index + 1}.jpg"
        path.write_bytes(sample.jpeg(size=(640, 480), colour=colour, gps=True))
        paths.append(str(path))
    pdf = tmp_path / "compte-rendu.pdf"
    pdf.write_bytes(sample.pdf("Compte rendu de la fête"))
    return paths, str(pdf)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_upload_several_files_then_view_the_gallery(browser, app, live_url, make_space,
                                                    make_user, sample, tmp_path, javascript):
    from placette.testing import axe_violations
    space = make_space("fete", visibility="network", plugins=["documents"])
    member = make_user(member_of=space)
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    context.add_cookies([{"name": "session", "value": _session_cookie(app, member),
                          "url": live_url}])
    page = context.new_page()
    try:
        photos, pdf = _files(tmp_path, sample)
        page.goto(f"{live_url}/s/fete/documents/upload")
        page.set_input_files("#files", photos + [pdf])
        page.fill("#tags", "fête")
        page.click("button[type=submit].big")
        page.wait_for_url("**/describe?ids=*", timeout=20000)
        page.set_default_timeout(10000)
        assert Document.select().count() == 4
        inputs = page.locator("input[id^=alt-]")
        assert inputs.count() == 3
        for index in range(3):
            inputs.nth(index).fill(f"Photo numéro {index + 1} de la fête")
        page.click(".documents-describe-form button[type=submit]")
        page.wait_for_url(lambda url: "/describe" not in url)
        page.goto(f"{live_url}/s/fete/documents/gallery")
        images = page.locator(".documents-gallery img")
        assert images.count() == 3
        if javascript:  # (scripts in the page, like axe, need JavaScript on)
            page.wait_for_function("Array.from(document.querySelectorAll('.documents-gallery "
                                   "img')).every(i => i.complete && i.naturalWidth > 0)",
                                   timeout=10000)
            assert not axe_violations(page)
        for src in [images.nth(i).get_attribute("src") for i in range(3)]:
            response = page.request.get(live_url + src)
            assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
        page.locator(".documents-gallery a").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/photos/*")
        first = page.url
        assert page.get_by_role("img", name="Photo numéro 1 de la fête").is_visible()
        if javascript:
            page.keyboard.press("ArrowRight")
        else:
            page.locator("a[rel=next]").focus()
            page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url != first and "/photos/" in url)
        assert page.get_by_role("img", name="Photo numéro 2 de la fête").is_visible()
        if javascript:
            assert not axe_violations(page)
    finally:
        context.close()
