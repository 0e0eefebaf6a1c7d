"""Writes of the registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from core.exceptions import DomainError
from core.models import Municipality
from core.permissions import require
from core.text import clean_spaces

from .models import School


class SchoolError(DomainError):
    pass


@transaction.atomic
def school_create(*, actor, municipality: Municipality, login: str, full_name: str,
                  short_name: str = "", kind: str = School.Kind.SOSH, address: str = "",
                  inn: str = "", is_rural: bool = False, is_demo: bool = False) -> School:
    """Add one school to the registry (the list import adds them in bulk)."""
    school = School(
        region=municipality.region, municipality=municipality,
        login=clean_spaces(login).lower().replace(" ", ""), full_name=clean_spaces(full_name),
        short_name=clean_spaces(short_name) or clean_spaces(full_name), kind=kind,
        address=clean_spaces(address), inn=clean_spaces(inn), is_rural=is_rural,
        is_demo=is_demo,
    )
    if actor is not None:
        require(actor, "schools.add_school", school)
    try:
        school.full_clean()
    except ValidationError as exc:
        raise SchoolError(" ".join(exc.messages))
    school.save()
    audit.record(actor, "schools.school.created", school, {"login": school.login})
    return school
