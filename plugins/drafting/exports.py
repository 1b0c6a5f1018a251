"""Any version of a draft as an OpenDocument text (odfpy) or a PDF (fpdf2), headed with the
council's name, the date, the version and the contributors, and -- once adopted -- the decision
and the amendments with their fate (the adopted text's record).

Why fpdf2: pure Python (no system library, unlike weasyprint's pango), well kept, and it embeds
Unicode TrueType fonts, so French accents, « guillemets », ’ and œ print as typed.  It uses the
DejaVu or Liberation fonts Debian ships; without them it falls back to a core font and replaces
what Latin-1 cannot hold.
"""
from __future__ import annotations

import io
import os

import placette

from . import service

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
         ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))


def _record(space, draft, number: int | None):
    version = service.version_of(draft, number)
    return {
        "council": space.name, "title": draft.title, "version": version.number,
        "date": placette.format_date(version.created_at),
        "contributors": service.contributors(draft, version.number),
        "paragraphs": [p.text for p in service.paragraphs(version)],
        "decision": draft.decision if draft.state in ("adopted", "published") else "",
        "amendments": service.amendments_of(draft) if draft.state in ("adopted", "published")
        else [],
    }


def _heading_lines(r) -> list[str]:
    _ = placette._
    lines = [r["council"], _("Version %(n)s of %(date)s", n=r["version"], date=r["date"]),
             _("Contributors: %(names)s", names=", ".join(r["contributors"]) or "—")]
    if r["decision"]:
        lines.append(_("Decision: %(text)s", text=r["decision"]))
    return lines


def _amendment_lines(r) -> list[str]:
    _ = placette._
    fate = {"open": _("not decided"), "accepted": _("accepted"), "rejected": _("rejected")}
    out = []
    for a in r["amendments"]:
        who = a.author.display_name if a.author_id is not None else _("Former member")
        line = f"{who} — {fate[a.status]} : « {a.text} » ({a.reason})"
        if a.decision_reason:
            line += f" — {a.decision_reason}"
        out.append(line)
    return out


def export(space, draft, number: int | None, kind: str) -> tuple[bytes, str]:
    record = _record(space, draft, number)
    name = f"{placette.slugify(draft.title) or 'avis'}-v{record['version']}.{kind}"
    return (to_odt(record) if kind == "odt" else to_pdf(record)), name


def to_odt(r) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P
    doc = OpenDocumentText()
    small = Style(name="Heading", family="paragraph")
    small.addElement(TextProperties(fontsize="10pt", color="#444444"))
    doc.automaticstyles.addElement(small)
    doc.text.addElement(H(outlinelevel=1, text=r["title"]))
    for line in _heading_lines(r):
        doc.text.addElement(P(stylename=small, text=line))
    for text in r["paragraphs"]:
        doc.text.addElement(P(text=placette.plain_text(text)))
    if r["amendments"]:
        doc.text.addElement(H(outlinelevel=2, text=placette._("Amendments")))
        for line in _amendment_lines(r):
            doc.text.addElement(P(text=line))
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def _font_files():
    for regular, bold in FONTS:
        for folder in FONT_DIRS:
            a, b = os.path.join(folder, regular), os.path.join(folder, bold)
            if os.path.exists(a) and os.path.exists(b):
                return a, b
    return None


def to_pdf(r) -> bytes:
    from fpdf import FPDF
    pdf = FPDF(format="A4")
    pdf.set_title(r["title"])
    pdf.set_author(", ".join(r["contributors"]))
    pdf.set_creator("placette")
    fonts = _font_files()
    if fonts:
        pdf.add_font("Body", "", fonts[0])
        pdf.add_font("Body", "B", fonts[1])
        family = "Body"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"

        def clean(text: str) -> str:
            return text.replace("’", "'").replace("œ", "oe").replace("\u202f", " ").encode(
                "latin-1", "replace").decode("latin-1")
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, clean(r["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    for line in _heading_lines(r):
        pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 11)
    for text in r["paragraphs"]:
        pdf.multi_cell(0, 6, clean(placette.plain_text(text)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    if r["amendments"]:
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 8, clean(placette._("Amendments")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 9)
        for line in _amendment_lines(r):
            pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
