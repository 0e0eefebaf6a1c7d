"""HTML → PDF with WeasyPrint, for reports rendered from the pages' own templates (fonts
the machine has: DejaVu, Liberation — Cyrillic included)."""

from __future__ import annotations

from django.conf import settings


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
