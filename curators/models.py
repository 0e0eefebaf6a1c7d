"""Curator ↔ school assignments per programme year.

The foundation keeps who curates which school in which year and under which ordering
document; the curators' own issue adds the board, load and conflict checks and the log.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import Region, ScopePath
from schools.models import School


class CuratorAssignment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="curator_assignments", verbose_name="куратор")
    school = models.ForeignKey(School, on_delete=models.PROTECT,
                               related_name="curator_assignments", verbose_name="школа")
    year = models.PositiveSmallIntegerField(
        "год программы", validators=[MinValueValidator(2019), MaxValueValidator(2100)])
    order_number = models.CharField("номер приказа", max_length=64, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    unit = models.CharField("подразделение куратора", max_length=255, blank=True)
    started_at = models.DateTimeField("начало", auto_now_add=True)
    ended_at = models.DateTimeField("окончание", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "назначение куратора"
        verbose_name_plural = "назначения кураторов"
        ordering = ["-year", "curator__last_name", "school__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "curator", "school", "year"],
                condition=Q(ended_at__isnull=True),
                name="curators_assignment_unique_active",
                violation_error_message="Этот куратор уже назначен этой школе на этот год.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.curator} — {self.school} ({self.year})"

    @property
    def order_label(self) -> str:
        if not self.order_number:
            return ""
        date = f" от {self.order_date:%d.%m.%Y}" if self.order_date else ""
        return f"приказ{date} № {self.order_number}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    def clean(self) -> None:
        if self.school_id and self.region_id and self.school.region_id != self.region_id:
            raise ValidationError({"school": "Школа относится к другому региону."})
