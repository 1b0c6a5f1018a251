"""Feeds, exports, embed and oEmbed: strict Atom 1.0, CSV with a BOM, JSON valid against its
published schema, DCAT, a frame-ancestors allowlist on the embed only."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


ATOM_SCHEMA = Path(__file__).with_name("atom.rng")


def assert_strict_atom(xml: bytes, self_url: str) -> etree._Element:
    """Valid against RFC 4287's schema (RELAX NG), then the rules a schema cannot say,
    checked one by one (as the W3C feed validator does)."""
    feed = etree.fromstring(xml)
    schema = etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))
    assert schema.validate(etree.ElementTree(feed)), schema.error_log
    assert feed.tag == f"{ATOM}feed"
    assert feed.get(XML_LANG) in ("en", "fr")

    def one(parent, name):
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{parent.tag} needs exactly one atom:{name}"
        return found[0]

    def check_id(text):
        assert re.match(r"^(urn:uuid:[0-9a-f-]{36}|tag:[a-z0-9.-]+,\d{4}(-\d\d)?(-\d\d)?:\S+)$",
                        text), text

    check_id(one(feed, "id").text)
    assert one(feed, "title").text
    assert RFC3339.match(one(feed, "updated").text)
    links = {(l.get("rel") or "alternate"): l for l in feed.findall(f"{ATOM}link")}
    assert links["self"].get("href") == self_url
    assert "alternate" in links
    feed_author = feed.findall(f"{ATOM}author")
    ids = set()
    for entry in feed.findall(f"{ATOM}entry"):
        entry_id = one(entry, "id").text
        check_id(entry_id)
        assert entry_id not in ids
        ids.add(entry_id)
        assert one(entry, "title").text
        assert RFC3339.match(one(entry, "updated").text)
        assert feed_author or entry.findall(f"{ATOM}author")
        for author in entry.findall(f"{ATOM}author"):
            assert one(author, "name").text
        alternates = [l for l in entry.findall(f"{ATOM}link")
                      if (l.get("rel") or "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href").startswith("http")
        content = entry.findall(f"{ATOM}content")
        assert content or entry.findall(f"{ATOM}summary") or alternates
        for c in content:
            assert c.get("type") in ("text", "html", "xhtml")
    return feed


@pytest.fixture
def shown(app, council, people, make_page, pick, key_of):
    page = make_page(council, people["animator"], "Délibération n°3 — l’école", "Adoptée **à l’unanimité**.")
    return pick(council, people["animator"], key_of(page), "Présentée par l'équipe")


def test_feeds_are_strict_atom_with_stable_ids(client, shown, people):
    from placette_plugins.showcase import service
    for path in ("/vitrine/feed.atom", "/vitrine/quartier-nord/feed.atom"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "application/atom+xml"
        assert response.headers.get("Last-Modified") and response.headers.get("ETag")
        feed = assert_strict_atom(response.data, "http://localhost" + path)
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}id").text for e in entries] == [f"urn:uuid:{shown.uuid}"]
        assert "Délibération n°3" in entries[0].find(f"{ATOM}title").text
    service.republish(shown, people["animator"])
    after = etree.fromstring(client.get("/vitrine/feed.atom").data)
    assert after.find(f"{ATOM}entry/{ATOM}id").text == f"urn:uuid:{shown.uuid}"  # same id
    assert len(after.findall(f"{ATOM}entry")) == 1  # updated in place, not a second entry
    assert client.get("/vitrine/nulle-part/feed.atom").status_code == 404


def test_csv_has_a_bom_and_keeps_accents(client, app, council, people, pick):
    from placette_plugins.voting import service as voting
    poll = voting.create_poll(council, people["animator"], {
        "title": "Où planter les arbres ?", "kind": "single",
        "options": ["Près de l’école", "Place Émile-Zola"]})
    voting.close(poll, people["animator"])
    pick(council, people["animator"], f"voting.poll:{poll.id}")
    response = client.get("/vitrine/data/results.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0]["title"] == "Où planter les arbres ?"
    assert rows[0]["licence"] == "Licence Ouverte / Open Licence version 2.0"
    assert rows[0]["council"] == "Quartier Nord"
    assert client.get("/vitrine/data/nothing.csv").status_code == 404


def test_json_exports_validate_against_their_published_schema(client, council, people, pick):
    from placette_plugins.voting import service as voting
    poll = voting.create_poll(council, people["animator"], {
        "title": "Quel nom pour le square ?", "kind": "yes_no"})
    voting.close(poll, people["animator"])
    pick(council, people["animator"], f"voting.poll:{poll.id}")
    for dataset in ("meetings", "results", "opinions"):
        document = client.get(f"/vitrine/data/{dataset}.json").get_json()
        schema = client.get(f"/vitrine/data/{dataset}.schema.json").get_json()
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(document, schema,
                            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        assert document["licence"]["name"].startswith("Licence Ouverte")
    results = client.get("/vitrine/data/results.json").get_json()["records"]
    assert [r["title"] for r in results] == ["Quel nom pour le square ?"]
    assert results[0]["decided_at"].endswith("+00:00")
    listing = client.get("/vitrine/data/").get_data(as_text=True)
    assert "results.schema.json" in listing and "catalog.jsonld" in listing


def test_dcat_catalog(client, shown):
    catalog = client.get("/vitrine/data/catalog.jsonld")
    assert catalog.mimetype == "application/ld+json"
    data = catalog.get_json()
    assert data["@type"] == "dcat:Catalog"
    names = [d["dct:identifier"] for d in data["dcat:dataset"]]
    assert names == ["meetings", "results", "opinions"]
    urls = [x["dcat:downloadURL"]["@id"] for d in data["dcat:dataset"]
            for x in d["dcat:distribution"]]
    for url in urls:
        assert client.get(url.replace("http://localhost", "")).status_code == 200


def test_licence_is_a_setting(app, client, shown):
    from placette_plugins.showcase import exports
    assert exports.licence()["url"].startswith("https://www.etalab.gouv.fr/")


def test_embed_may_be_framed_by_the_city_site_only(client, shown):
    response = client.get("/vitrine/embed/quartier-nord")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.ville.example" in csp
    assert "X-Frame-Options" not in response.headers
    body = response.get_data(as_text=True)
    assert "Délibération n°3" in body and "<script" not in body
    assert "Quartier Nord" in body
    other = client.get("/vitrine/")  # the rest of the site stays unframeable
    assert other.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self';" in other.headers["Content-Security-Policy"]
    assert client.get("/vitrine/embed/groupe-secret").status_code == 404


def test_oembed(client, shown, group, people, make_page, key_of):
    url = f"http://localhost/vitrine/quartier-nord/{shown.id}"
    data = client.get("/oembed", query_string={"url": url}).get_json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert f'/vitrine/embed/quartier-nord?item={shown.id}' in data["html"]
    assert 'title="Délibération n°3' in data["html"]
    for bad in (f"https://elsewhere.example/vitrine/quartier-nord/{shown.id}",
                "http://localhost/vitrine/quartier-nord/999999",
                "http://localhost/s/groupe-secret/pages/", "javascript:alert(1)", ""):
        assert client.get("/oembed", query_string={"url": bad}).status_code == 404, bad
    assert client.get("/oembed", query_string={"url": url, "format": "xml"}).status_code == 501


def test_hostile_introduction_is_shown_as_text(client, council, people, make_page, pick,
                                               key_of):
    page = make_page(council, people["animator"], "Page ordinaire")
    item = pick(council, people["animator"], key_of(page),
                '<script>alert("x")</script><img src=x onerror=alert(1)>')
    for path in (f"/vitrine/quartier-nord/{item.id}", "/vitrine/quartier-nord/",
                 "/vitrine/embed/quartier-nord", "/vitrine/feed.atom"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, path


def test_the_atom_schema_refuses_what_rfc_4287_refuses():
    """The schema the feed tests use can fail: a feed without id, a date without offset, an
    unknown element, an entry without id are each refused."""
    schema = etree.RelaxNG(etree.parse(str(ATOM_SCHEMA)))
    ok = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><id>tag:x,2026:/v/</id>'
          b'<title>T</title><updated>2026-01-01T00:00:00+00:00</updated></feed>')
    assert schema.validate(etree.fromstring(ok))
    for bad in (ok.replace(b"<id>tag:x,2026:/v/</id>", b""), ok.replace(b"+00:00", b""),
                ok.replace(b"<title>T</title>", b"<title>T</title><foo/>"),
                ok.replace(b"</feed>", b"<entry><title>x</title></entry></feed>")):
        assert not schema.validate(etree.fromstring(bad)), bad
