"""What documents offers the public window: a document with its current file's bytes, only to
those who may see it."""
from __future__ import annotations

import placette
from placette_plugins.documents import plugin
from placette_plugins.documents.models import Document


def test_documents_offer_their_file(client, make_space, make_user, sign_in, upload, sample):
    space = make_space("docs", visibility="private", plugins=["documents"])
    member = sign_in(make_user(member_of=space))
    content = sample.pdf("Compte rendu public")
    upload(space, [("compte-rendu.pdf", content)], description="Le **compte rendu**")
    doc = Document.get()
    resource = placette.lookup_resource("documents", "document", doc.id)
    offer = plugin.showcase_item(resource, member)
    assert offer.category == "document" and offer.title == "compte-rendu"
    assert "<strong>compte rendu</strong>" in offer.body_html
    [file] = offer.files
    assert file.name == "compte-rendu.pdf" and file.content_type == "application/pdf"
    assert file.read() == content
    assert [o.title for o in plugin.showcase_items(space, member)] == ["compte-rendu"]
    stranger = make_user(name="Sam Stranger")
    assert plugin.showcase_item(resource, stranger) is None
    assert plugin.showcase_items(space, stranger) == []
