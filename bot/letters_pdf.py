"""Binding letters as a PDF: one A4 page per home (reportlab; QR codes drawn as vectors).

Chinese uses reportlab's built-in STSong-Light CID font, so no font file ships with us; PDF
readers supply the Adobe-GB1 glyphs (Chromium, Acrobat, poppler with poppler-data).
"""

from __future__ import annotations

import io

from handlers.office.letters import LetterBatch
from handlers.texts import t

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def render(batch: LetterBatch) -> bytes:
    """The whole batch as PDF bytes, pages in door order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{batch.community} {batch.building} {t('letter_title')}".strip())
    width, height = A4
    for letter in batch.letters:
        _page(pdf, font, width, height, batch, letter)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _page(pdf, font, width, height, batch, letter) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.units import mm

    margin = 22 * mm
    y = height - 30 * mm
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, y, t("letter_title"))
    y -= 10 * mm
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, y, f"{letter.community}  {letter.home}")
    y -= 18 * mm
    pdf.setFont(font, 13)
    pdf.drawString(margin, y, t("letter_greeting", home=letter.home))
    y -= 9 * mm
    for line in _wrap(t("letter_body", channel=letter.channel), 36):
        pdf.drawString(margin, y, line)
        y -= 7 * mm
    size = 70 * mm
    y -= size + 4 * mm
    _qr(pdf, letter.url, (width - size) / 2, y, size)
    y -= 8 * mm
    pdf.setFont(font, 9)
    pdf.drawCentredString(width / 2, y, letter.url)
    y -= 14 * mm
    pdf.setFont(font, 13)
    pdf.drawCentredString(width / 2, y, t("letter_code_label"))
    y -= 13 * mm
    pdf.setFont("Courier-Bold", 30)
    pdf.drawCentredString(width / 2, y, letter.code)
    y -= 12 * mm
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, y, t("letter_code_line", code=letter.code))
    y -= 16 * mm
    pdf.setFont(font, 11)
    expiry = letter.expires_at.strftime("%Y-%m-%d")
    for line in _wrap(t("letter_expiry", date=expiry), 40):
        pdf.drawString(margin, y, line)
        y -= 6 * mm
    if batch.service_phone:
        pdf.drawString(margin, 20 * mm, t("letter_phone", phone=batch.service_phone))


def _qr(pdf, url: str, x: float, y: float, size: float) -> None:  # type: ignore[no-untyped-def]
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def _wrap(text: str, width: int) -> list[str]:
    """Chinese has no spaces to break at: cut every `width` characters."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]
