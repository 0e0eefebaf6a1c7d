"""Assignments grant and revoke the curator's object rights on the school — only here."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import audit
from core.exceptions import DomainError
from core.permissions import object_grant, object_revoke, require
from core.roles import Role
from core.scope import forget_scope
from schools.models import School

from .models import CuratorAssignment


class AssignmentError(DomainError):
    pass


@transaction.atomic
def assignment_create(*, actor, curator, school: School, year: int, order_number: str = "",
                      order_date: datetime.date | None = None, unit: str = ""
                      ) -> CuratorAssignment:
    """Assign ``curator`` to ``school`` for ``year`` and grant the curator's object right.

    The curator must hold the curator role in the school's region.
    """
    assignment = CuratorAssignment(region=school.region, curator=curator, school=school,
                                   year=year, order_number=order_number.strip(),
                                   order_date=order_date, unit=unit.strip(), created_by=actor)
    if actor is not None:
        require(actor, "curators.add_curatorassignment", assignment)
    if not curator.memberships.filter(role=Role.CURATOR, region=school.region,
                                      ended_at__isnull=True).exists():
        raise AssignmentError(f"{curator.short_name} не является куратором в регионе "
                              f"«{school.region}».")
    try:
        assignment.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        raise AssignmentError(" ".join(exc.messages))
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise AssignmentError("Этот куратор уже назначен этой школе на этот год.")
    object_grant(curator, settings.PORTAL_CURATOR_PERM, school)
    forget_scope(curator)
    audit.record(actor, "curators.assignment.created", assignment,
                 {"curator": curator.username, "school": school.login, "year": year,
                  "order": assignment.order_label})
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: CuratorAssignment, now=None) -> CuratorAssignment:
    """End an assignment; the object right goes when no other active assignment keeps it."""
    assignment = CuratorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is not None:
        require(actor, "curators.add_curatorassignment", assignment)
    if assignment.ended_at is not None:
        raise AssignmentError("Это назначение уже завершено.")
    assignment.ended_at = now or timezone.now()
    assignment.save(update_fields=["ended_at"])
    still = CuratorAssignment.objects.filter(curator=assignment.curator, school=assignment.school,
                                             ended_at__isnull=True).exists()
    if not still:
        object_revoke(assignment.curator, settings.PORTAL_CURATOR_PERM, assignment.school)
    forget_scope(assignment.curator)
    audit.record(actor, "curators.assignment.ended", assignment,
                 {"curator": assignment.curator.username, "school": assignment.school.login})
    return assignment
