"""Demo content: each council's library gets minutes (PDF), city documents (some validated), an
ODF text and a photo gallery -- all generated here, so no binary file lives in the repository.
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


def seed(city) -> None:
    rnd = random.Random(42)
    spaces = city.spaces_with("documents")
    for space in spaces[:8]:
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
        library.upload(space, animator, [_file("Projet d'avis sur la mobilité.odt", odt_file(
            "Projet d'avis", "Brouillon à relire avant validation par la ville."))],
            folder=drafts, description="Brouillon : pas encore validé par la ville.")
        for title, alt in PHOTOS:
            library.upload(space, animator, [_file(f"{title}.jpg", photo_jpeg(rnd))],
                           folder=photos, title=title, alt_text=alt,
                           description=f"{title}, {space.name}.")
