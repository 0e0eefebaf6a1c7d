"""The regional methodical pool (РМА): teachers who passed the competence assessment, by
subject group and municipality of work, tutors among them (seed 000: Rostov 2022, 308
methodists in nine subject groups).

``Subject`` is the shared list of school subjects and subject groups: methodists, school
staff and course enrolments name their subjects from it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.models import Municipality, Region, ScopePath
from core.text import clean_spaces, name_key
from schools.models import School


class Subject(models.Model):
    """A school subject or a subject group («Русский язык и литература»). Matched by its
    normalised name, so «русский  язык» and «Русский язык» are one subject."""

    name = models.CharField("предмет", max_length=120)
    name_key = models.CharField(max_length=120, unique=True, editable=False)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_spaces(self.name)
        self.name_key = subject_key(self.name)
        super().save(*args, **kwargs)


def subject_key(name: str) -> str:
    return name_key(name).replace("-", " ").strip(" .")


class Methodist(models.Model):
    """One teacher of the regional methodical pool."""

    class Status(models.TextChoices):
        ACTIVE = "active", "в составе РМА"
        SUSPENDED = "suspended", "участие приостановлено"
        LEFT = "left", "выбыл из РМА"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет (место работы)")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="школа из реестра")
    workplace = models.CharField("место работы", max_length=500, blank=True,
                                 help_text="Если организации нет в реестре школ портала.")
    full_name = models.CharField("ФИО", max_length=255)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    position = models.CharField("должность", max_length=255, blank=True)
    subjects = models.ManyToManyField(Subject, related_name="methodists",
                                      verbose_name="предметы")
    assessed_on = models.DateField("дата оценки компетенций", null=True, blank=True)
    assessment_score = models.PositiveSmallIntegerField(
        "результат оценки, %", null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    is_tutor = models.BooleanField("тьютор", default=False)
    status = models.CharField("статус", max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="methodist_records",
                             verbose_name="учётная запись в портале")
    created_at = models.DateTimeField("добавлен", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "методист РМА"
        verbose_name_plural = "методисты РМА"
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["region", "status"]),
                   models.Index(fields=["municipality", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_key", "municipality"], name="methodists_person_unique",
                violation_error_message="Методист с такими ФИО в этом муниципалитете уже есть.")
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = clean_spaces(self.full_name)
        self.name_key = name_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("methodists:detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id)

    @property
    def is_active(self) -> bool:
        """In the pool now (neither suspended nor gone)."""
        return self.status == self.Status.ACTIVE

    @property
    def workplace_label(self) -> str:
        if self.school_id:
            return self.school.short_name
        return self.workplace or "—"

    def clean(self) -> None:
        if self.municipality_id and self.region_id and \
                self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": "Муниципалитет относится к другому региону."})
        if self.school_id and self.region_id and self.school.region_id != self.region_id:
            raise ValidationError({"school": "Школа относится к другому региону."})
