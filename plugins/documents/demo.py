"""Demo content: every library gets folders and documents, one of them with several versions --
the first eight spaces minutes (PDF), city documents (some validated), an ODF draft and a photo
gallery; the others a lighter set, and the working groups their working documents (the private
drafting group's draft opinion in three versions).  All generated here, so no binary file lives
in the repository.
"""
from __future__ import annotations

import io
import random

from . import library

MINUTES = ["Compte rendu de la réunion de janvier", "Compte rendu de la réunion de mars",
           "Compte rendu de la réunion de mai"]
CITY_DOCS = [("Charte de la participation citoyenne", "charte, participation"),
             ("Budget participatif : règlement", "budget"),
             ("Plan de mobilité douce : diagnostic", "mobilité, vélo")]
PHOTOS = [("Plantation d'arbres au square", "Des habitants plantent un jeune tilleul au "
           "square, pelles à la main."),
          ("Atelier vélo", "Trois personnes réparent un vélo retourné sur une table d'atelier."),
          ("Réunion publique", "Une salle municipale pleine, une animatrice au micro devant un "
           "écran."),
          ("Marché du samedi", "Des étals de fruits et légumes sous des parasols colorés.")]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small valid one-page PDF with real (extractable) text, Helvetica, Latin-1."""
    lines = [title, ""] + [p for paragraph in paragraphs for p in _wrap(paragraph)]
    stream_lines = ["BT", "/F1 12 Tf", "14 TL", "50 790 Td"]
    for line in lines[:50]:
        encoded = _escape(line).encode("latin-1", "replace").decode("latin-1")
        stream_lines.append(f"({encoded}) Tj T*")
    stream_lines.append("ET")
    content = "\n".join(stream_lines).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
              f"%%EOF\n".encode())
    return out.getvalue()


def _wrap(text: str, width: int = 85) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def photo_jpeg(rnd: random.Random, size=(1200, 800)) -> bytes:
    """A colourful stand-in for a photo (gradient sky, ground, a few shapes)."""
    from PIL import Image, ImageDraw
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    sky = (rnd.randint(90, 150), rnd.randint(150, 200), rnd.randint(200, 250))
    for y in range(height):
        shade = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (1 - 0.4 * shade)) for c in sky))
    ground = (rnd.randint(40, 90), rnd.randint(110, 160), rnd.randint(40, 80))
    draw.rectangle([0, int(height * 0.65), width, height], fill=ground)
    for _ in range(6):
        x, y = rnd.randint(0, width), rnd.randint(int(height * 0.4), height)
        r = rnd.randint(20, 90)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rnd.randint(0, 255),
                                                           rnd.randint(0, 255),
                                                           rnd.randint(0, 255)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def odt_file(title: str, text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=title))
    for paragraph in text.split("\n"):
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _file(name: str, data: bytes) -> library.Incoming:
    return library.Incoming(io.BytesIO(data), name)


WORKING = {  # group -> (folder, [(file title, text)], the document revised twice)
    "avis-budget": ("Documents de travail", [
        ("Synthèse des contributions des quartiers", "Les onze conseils de quartier demandent "
         "en priorité l'entretien des écoles, l'éclairage public et des pistes cyclables."),
        ("Budget primitif 2026 - extraits commentés", "Section de fonctionnement, section "
         "d'investissement : les lignes qui concernent la vie des quartiers.")],
        "Projet d'avis sur le budget"),
    "mobilite-douce": ("Relevés de terrain", [
        ("Itinéraires cyclables relevés", "Rue Victor-Hugo, avenue de la Gare, quai de Loire : "
         "état des bandes cyclables et points dangereux."),
        ("Comptages vélo du printemps", "Comptages manuels aux entrées du centre-ville, "
         "le mardi et le samedi.")],
        "Proposition de zones apaisées"),
    "jardins-partages": ("Vie du jardin", [
        ("Règlement du jardin", "Chaque parcelle est cultivée sans pesticides ; l'eau de pluie "
         "est partagée."),
        ("Calendrier d'arrosage", "Un tour d'arrosage par semaine et par jardinier, de mai à "
         "septembre.")],
        "Plan des parcelles"),
}
REVISIONS = ["Première version, à compléter.",
             "Deuxième version : les remarques de la séance de rédaction sont intégrées.",
             "Troisième version, relue : prête pour la séance de relecture."]


def seed(city) -> None:
    rnd = random.Random(42)
    spaces = city.spaces_with("documents")
    for space in spaces[:8]:
        _full_library(space, city, rnd)
    for space in spaces[8:]:
        if space.slug in WORKING:
            _working_documents(space, city)
        else:
            _council_library(space, city)


def _revised(document, actor, title: str, count: int) -> None:
    """Give ``document`` versions 2..``count`` (PDF texts saying what changed)."""
    for number in range(2, count + 1):
        library.add_version(document, actor, _file(f"{title}.pdf", simple_pdf(
            title, [REVISIONS[min(number, len(REVISIONS)) - 1]])))


def _council_library(space, city) -> None:
    """Minutes and a city document: what every council's library holds at least."""
    animator = city.animators_of(space)[0]
    minutes = library.create_folder(space, animator, "Comptes rendus")
    for title in MINUTES[:2]:
        text = (f"{title} du {space.name}. Présents : les membres du conseil. Décisions : un "
                f"avis sera rédigé sur l'accessibilité des équipements du quartier.")
        library.upload(space, animator, [_file(f"{title}.pdf", simple_pdf(title, [text]))],
                       folder=minutes, tags="compte rendu")
    city_folder = library.create_folder(space, animator, "Documents de la ville")
    title = CITY_DOCS[0][0]
    charter = library.upload(space, animator, [_file(f"{title}.pdf", simple_pdf(
        title, [f"{title}. Document de la ville de Villeneuve-sur-Loire."]))],
        folder=city_folder, tags=CITY_DOCS[0][1])[0]
    _revised(charter, animator, title, 2)


def _working_documents(space, city) -> None:
    """A working group's folder: documents under way, one of them in three versions."""
    animator = city.animators_of(space)[0]
    folder_name, documents, draft_title = WORKING[space.slug]
    folder = library.create_folder(space, animator, folder_name)
    for title, text in documents:
        library.upload(space, animator, [_file(f"{title}.pdf", simple_pdf(title, [text]))],
                       folder=folder)
    draft = library.upload(space, animator, [_file(f"{draft_title}.pdf", simple_pdf(
        draft_title, [REVISIONS[0]]))], folder=folder,
        description="Document de travail du groupe, revu à chaque séance.")[0]
    _revised(draft, animator, draft_title, 3)


def _full_library(space, city, rnd) -> None:
    """Minutes, city documents (some validated), a draft for animators, a photo gallery."""
    animator = city.animators_of(space)[0]
    minutes = library.create_folder(space, animator, "Comptes rendus")
    city_folder = library.create_folder(space, animator, "Documents de la ville")
    drafts = library.create_folder(space, animator, "Brouillons", visibility_value="animators")
    photos = library.create_folder(space, animator, "Photos")
    for title in MINUTES:
        text = (f"{title} du {space.name}. Présents : les membres du conseil. Ordre du jour :"
                f" aménagement du square, sécurité aux abords de l'école, propositions pour "
                f"le budget participatif. Décisions : un groupe de travail est formé.")
        library.upload(space, animator, [_file(f"{title}.pdf", simple_pdf(title, [text]))],
                       folder=minutes, tags="compte rendu")
    for title, tags in CITY_DOCS:
        docs = library.upload(space, animator, [_file(f"{title}.pdf", simple_pdf(
            title, [f"{title}. Document de la ville de Villeneuve-sur-Loire."]))],
            folder=city_folder, tags=tags)
        if rnd.random() < 0.7:
            library.set_validated(docs[0], city.accounts["admin"], True)
        if title == CITY_DOCS[0][0]:
            _revised(docs[0], animator, title, 2)
    draft = library.upload(space, animator, [_file("Projet d'avis sur la mobilité.odt", odt_file(
        "Projet d'avis", "Brouillon à relire avant validation par la ville."))],
        folder=drafts, description="Brouillon : pas encore validé par la ville.")[0]
    library.add_version(draft, animator, _file("Projet d'avis sur la mobilité.odt", odt_file(
        "Projet d'avis", "Brouillon relu : les remarques du conseil sont intégrées.")))
    for title, alt in PHOTOS:
        library.upload(space, animator, [_file(f"{title}.jpg", photo_jpeg(rnd))],
                       folder=photos, title=title, alt_text=alt,
                       description=f"{title}, {space.name}.")
