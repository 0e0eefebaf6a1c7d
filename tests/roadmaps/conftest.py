import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from risk_profiles.models import RiskFactor
from roadmaps.models import DocumentKind
from roadmaps.services import Slot, document_upload, kinds_load, upload_check
from tests.files import pdf_bytes  # noqa: F401  (tests import it from here)
from tests.risk_profiles.conftest import activate, catalogue, profile_a  # noqa: F401


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def a_file(content: bytes, name: str = "концепция.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def checked(content: bytes, name: str = "концепция.pdf"):
    f = a_file(content, name)
    return upload_check(f, f.name, f.size)


@pytest.fixture
def kinds(db):
    kinds_load(actor=None, year=2022)
    return {k.code: k for k in DocumentKind.objects.filter(year=2022)}


@pytest.fixture
def risky_a(world_a, profile_a):  # noqa: F811  (the fixture imported above)
    """School 1 of region A activated R01 and R02 in its 2022 profile."""
    activate(world_a.school_coordinator, profile_a, "R01", "R02")
    return profile_a


def risk(code: str, year: int = 2022) -> RiskFactor:
    return RiskFactor.objects.get(year=year, code=code)


def upload(world, kinds, code="concept", *, risk_code=None, content=None, submit=True,
           name="концепция.pdf", note="", actor=None, document=None):
    """A version uploaded by the school's coordinator through the service."""
    content = content if content is not None else pdf_bytes(f"{code} {risk_code} {note}")
    kw = {"document": document} if document is not None else {
        "slot": Slot(kind=kinds[code], risk=risk(risk_code) if risk_code else None)}
    return document_upload(actor=actor or world.school_coordinator, school=world.school1,
                           year=2022, upload=checked(content, name), note=note, submit=submit,
                           **kw)
