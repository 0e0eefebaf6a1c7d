"""Network pairs (seed 004: «сетевые пары», управленческое менторство): a programme school
(ШНОР or ШССУ of the year) and a mentor school of the group «эффективные» or «резильентные»,
for a period, under an agreement, with the areas of help (activated risk factors of the
school's profile) and a log of joint activities.

A pair is never deleted: ending it sets the end date and the reason, and its log stays.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Region, ScopePath
from core.years import YEAR_VALIDATORS


def agreement_path(instance: Pair, filename: str) -> str:
    return f"mentoring/agreements/{uuid.uuid4().hex}/{filename}"


class Pair(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "действует"
        ENDED = "ended", "завершена"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    #: The programme year the pair was formed for (the school is a ШНОР/ШССУ of it).
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    school = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="школа")
    mentor = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="школа-наставник")
    start_on = models.DateField("начало")
    #: The planned end, or the day the pair was ended (then ``end_reason`` says why).
    end_on = models.DateField("окончание", null=True, blank=True)
    status = models.CharField("состояние", max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    agreement = models.FileField("соглашение", upload_to=agreement_path, max_length=300)
    agreement_name = models.CharField("имя файла", max_length=255)
    agreement_number = models.CharField("номер соглашения", max_length=64)
    agreement_date = models.DateField("дата соглашения")
    #: Codes of the risk factors the mentor helps with (activated in the school's profile).
    areas = models.JSONField("направления помощи", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="создал")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    end_reason = models.TextField("причина завершения", blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+",
                                 verbose_name="завершил")
    ended_at = models.DateTimeField("завершена", null=True, blank=True)

    class Meta:
        verbose_name = "сетевая пара"
        verbose_name_plural = "сетевые пары"
        ordering = ["-start_on", "pk"]
        permissions = [("end_pair", "Может завершать сетевые пары"),
                       ("log_activity", "Может вносить совместные мероприятия пар")]
        constraints = [
            models.CheckConstraint(condition=~Q(school=models.F("mentor")),
                                   name="mentoring_pair_not_self"),
            models.CheckConstraint(condition=Q(end_on__isnull=True)
                                   | Q(end_on__gte=models.F("start_on")),
                                   name="mentoring_pair_period"),
        ]
        indexes = [models.Index(fields=["region", "year"], name="mentoring_pair_region_year"),
                   models.Index(fields=["mentor", "status"], name="mentoring_pair_mentor")]

    def __str__(self) -> str:
        return f"{self.school} — {self.mentor}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    def is_current(self, day: datetime.date) -> bool:
        """Not ended and not past its planned end on ``day``."""
        return not self.is_ended and (self.end_on is None or self.end_on >= day)

    def get_absolute_url(self) -> str:
        return reverse("mentoring:pair", args=[self.public_id])

    @staticmethod
    def current_q(day: datetime.date, prefix: str = "") -> Q:
        """The pairs that hold on ``day`` (not ended, not past their planned end): the ones
        that count against a mentor's limit."""
        return Q(**{f"{prefix}status": Pair.Status.ACTIVE}) & (
            Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": day}))


def evidence_path(instance: Activity, filename: str) -> str:
    return f"mentoring/activities/{uuid.uuid4().hex}/{filename}"


class Activity(models.Model):
    """A joint activity of a pair: what was held, when, with whom."""

    class Kind(models.TextChoices):
        MASTER_CLASS = "master_class", "мастер-класс"
        SEMINAR = "seminar", "семинар"
        VISIT = "visit", "посещение"
        CONSULTATION = "consultation", "консультация"
        OTHER = "other", "другое"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="activities",
                             verbose_name="пара")
    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    held_on = models.DateField("дата")
    title = models.CharField("тема", max_length=500)
    participants = models.TextField("участники", blank=True, max_length=2000)
    participants_count = models.PositiveIntegerField("число участников")
    evidence = models.FileField("подтверждение", upload_to=evidence_path, max_length=300,
                                blank=True)
    evidence_name = models.CharField("имя файла", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="внёс")
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "совместное мероприятие пары"
        verbose_name_plural = "совместные мероприятия пар"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} «{self.title}» ({self.held_on:%d.%m.%Y})"

    @property
    def scope_path(self) -> ScopePath:
        return self.pair.scope_path

    def get_absolute_url(self) -> str:
        return self.pair.get_absolute_url()
