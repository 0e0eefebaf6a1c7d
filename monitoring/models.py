"""Engagement monitoring (seed 000, table 3: «мониторинг вовлеченности»).

A region's score of a programme year is a set of components. For each the portal
*proposes* a value from its own data (``proposed`` with how it got there in ``basis``), and
an authorised expert *confirms* it or enters another with a reason. The published score is
computed from confirmed values only. The rules that turn data into proposals are stored per
year (``EngagementRules``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.models import Region, ScopePath
from core.years import YEAR_VALIDATORS


def default_plan_scale() -> list:
    return [[95, 6], [85, 5], [75, 4], [60, 3], [45, 2], [30, 1]]


def default_documents_scale() -> list:
    return [[90, 5], [75, 4], [60, 3], [45, 2], [30, 1]]


def default_curator_scale() -> list:
    return [[90, 3], [70, 2], [40, 1]]


def validate_scale(value) -> None:
    """A scale is a list of [from %, points] pairs, thresholds going down."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Шкала должна содержать хотя бы одну строку «от %: баллы».")
    previous = None
    for pair in value:
        if (not isinstance(pair, list | tuple) or len(pair) != 2
                or not all(isinstance(x, int | float) for x in pair)):
            raise ValidationError("Каждая строка шкалы — пара чисел «от %: баллы».")
        if not 0 <= pair[0] <= 100:
            raise ValidationError("Порог шкалы должен быть от 0 до 100 %.")
        if previous is not None and pair[0] >= previous[0]:
            raise ValidationError("Пороги шкалы должны убывать сверху вниз без повторов.")
        if previous is not None and pair[1] > previous[1]:
            raise ValidationError("Баллы шкалы не должны расти при меньшем пороге: большая "
                                  "доля не может давать меньше баллов.")
        previous = pair


class EngagementRules(models.Model):
    """How proposals are made in one programme year; maxima are the methodology's own."""

    year = models.PositiveSmallIntegerField("год программы", unique=True,
                                            validators=YEAR_VALIDATORS)
    plan_scale = models.JSONField(
        "план-график: доля этапов, выполненных в срок → баллы (0–6)",
        default=default_plan_scale, validators=[validate_scale])
    documents_scale = models.JSONField(
        "экспертиза документов: средний балл листа, % от максимума → баллы (0–5)",
        default=default_documents_scale, validators=[validate_scale])
    curator_scale = models.JSONField(
        "работа кураторов: доля школ, где куратор работал в системе → баллы (0–3)",
        default=default_curator_scale, validators=[validate_scale])
    one_school_threshold = models.PositiveSmallIntegerField(
        "+1 балл, если доля школ с куратором одной школы больше, %", default=90)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто изменил")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "правила мониторинга вовлеченности"
        verbose_name_plural = "правила мониторинга вовлеченности"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Правила мониторинга вовлеченности {self.year} г."

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(None)


class EngagementScore(models.Model):
    """A region's engagement in one programme year, from confirmed components."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год программы", validators=YEAR_VALIDATORS)
    computed_at = models.DateTimeField("предложения рассчитаны", null=True, blank=True)
    #: Filled when every component is confirmed (the published score), else empty.
    content = models.DecimalField("содержание", max_digits=6, decimal_places=2, null=True,
                                  blank=True)
    organisation = models.DecimalField("организация", max_digits=6, decimal_places=2,
                                       null=True, blank=True)
    total = models.DecimalField("итог (содержание × 100 + организация)", max_digits=8,
                                decimal_places=2, null=True, blank=True)
    final = models.DecimalField("итог с учётом доли активировавших", max_digits=8,
                                decimal_places=1, null=True, blank=True)
    #: For information (table 3's last columns): concept documents posted, per cent.
    documents_posted = models.DecimalField("доля школ, разместивших концептуальные документы, %",
                                           max_digits=5, decimal_places=1, null=True,
                                           blank=True)
    published_at = models.DateTimeField("опубликовано", null=True, blank=True)

    class Meta:
        verbose_name = "оценка вовлеченности региона"
        verbose_name_plural = "оценки вовлеченности регионов"
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"],
                                    name="monitoring_score_region_year_unique"),
        ]
        permissions = [
            ("confirm_engagementscore", "Подтверждать составляющие оценки вовлеченности"),
            ("recompute_engagementscore", "Пересчитывать предложения оценки вовлеченности"),
            ("view_dashboard", "Смотреть панель мониторинга"),
            ("view_report", "Выгружать отчёты мониторинга"),
        ]

    def __str__(self) -> str:
        return f"Вовлеченность: {self.region} ({self.year})"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    @property
    def is_published(self) -> bool:
        return self.final is not None

    def get_absolute_url(self) -> str:
        return reverse("monitoring:engagement", args=[self.public_id])


class EngagementComponent(models.Model):
    """One column of table 3: the portal's proposal and the expert's confirmed value."""

    class Code(models.TextChoices):
        PLAN = "plan", "Экспертиза регионального плана-графика"
        DOCUMENTS = "documents", "Выборочная экспертиза концептуальных документов"
        CURATOR_WORK = "curator_work", "Работа кураторов в системе"
        ONE_SCHOOL = "one_school", "Доля школ, кураторы которых сопровождают одну школу"
        SURVEY = "survey", "Неполный охват участников первым опросом"
        SHARING = "sharing", "Трансляция опыта"
        ACTIVATION = "activation", "Доля школ, активировавших направления (риски)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    score = models.ForeignKey(EngagementScore, on_delete=models.CASCADE,
                              related_name="components", verbose_name="оценка")
    code = models.CharField("составляющая", max_length=16, choices=Code.choices)
    proposed = models.DecimalField("предложено порталом", max_digits=6, decimal_places=4,
                                   null=True, blank=True)
    basis = models.TextField("как получено предложение", blank=True)
    details = models.JSONField("данные предложения", default=dict, blank=True)
    value = models.DecimalField("подтверждённое значение", max_digits=6, decimal_places=4,
                                null=True, blank=True)
    reason = models.TextField("обоснование", max_length=2000, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="кто подтвердил")
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)
    #: The proposal the expert saw when confirming (to flag a proposal that moved since).
    confirmed_proposal = models.DecimalField(max_digits=6, decimal_places=4, null=True,
                                             blank=True)

    class Meta:
        verbose_name = "составляющая оценки вовлеченности"
        verbose_name_plural = "составляющие оценки вовлеченности"
        constraints = [
            models.UniqueConstraint(fields=["score", "code"],
                                    name="monitoring_component_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.score}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.score.region_id)

    @property
    def is_confirmed(self) -> bool:
        return self.value is not None

    @property
    def is_override(self) -> bool:
        return self.is_confirmed and self.value != self.confirmed_proposal

    @property
    def proposal_moved(self) -> bool:
        """The portal's proposal changed after the expert confirmed."""
        return self.is_confirmed and self.proposed != self.confirmed_proposal

    @property
    def range_label(self) -> str:
        from .engagement import PART

        part = PART[self.code]
        low, high = (str(self.as_number(x)).replace("-", "−") for x in (part.low, part.high))
        return f"{low}…{high}" + ("" if part.whole else " (доля)")

    @staticmethod
    def as_number(value: Decimal | None):
        """2.0000 → 2, 0.9500 → 0.95 (for pages and exports)."""
        if value is None:
            return None
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
