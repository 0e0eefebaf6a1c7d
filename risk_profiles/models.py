"""ФИОКО's yearly catalogue of risk factors and each school's risk profile for a year.

A factor is a row per year: the catalogue of 2022 replaced R08–R10 of 2021 by R11–R13,
and a factor kept across years (R01–R07) has one row in each. Comparisons between years
go by ``code``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from core.models import Region, ScopePath
from core.years import YEAR_VALIDATORS
from schools.models import ImportBatch, School


class RiskFactor(models.Model):
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    code = models.CharField("код", max_length=8, validators=[RegexValidator(
        r"^R\d{2}$", "Код фактора — латинская R и две цифры, например R07.")])
    position = models.PositiveSmallIntegerField("№ п/п", validators=[MinValueValidator(1),
                                                                     MaxValueValidator(99)])
    title = models.CharField("название", max_length=300)

    class Meta:
        verbose_name = "фактор риска"
        verbose_name_plural = "факторы риска"
        ordering = ["year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="risk_factor_unique_code",
                                    violation_error_message="Фактор с таким кодом в этом году "
                                                            "уже есть."),
            models.UniqueConstraint(fields=["year", "position"],
                                    name="risk_factor_unique_position",
                                    violation_error_message="Этот номер п/п в этом году уже "
                                                            "занят."),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title} ({self.year})"


class Level(models.TextChoices):
    HIGH = "high", "высокий"
    MEDIUM = "medium", "средний"
    LOW = "low", "низкий"
    NONE = "none", "нет риска"


class RiskProfile(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке у куратора"
        VERIFIED = "verified", "подтверждён куратором"
        RETURNED = "returned", "возвращён на доработку"

    #: States in which the school (and the region on its behalf) may edit the profile.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="risk_profiles",
                               verbose_name="школа")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    #: The curator's comment on return (or the reason given on unlocking).
    comment = models.TextField("комментарий куратора", blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="загружен из файла")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    submitted_at = models.DateTimeField("отправлен на проверку", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="кто отправил")
    reviewed_at = models.DateTimeField("проверен", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто проверил")

    class Meta:
        verbose_name = "риск-профиль"
        verbose_name_plural = "риск-профили"
        ordering = ["-year", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "school", "year"],
                                    name="risk_profile_unique_school_year",
                                    violation_error_message="У школы уже есть риск-профиль "
                                                            "на этот год."),
        ]
        permissions = [
            ("submit_riskprofile", "Отправлять риск-профиль на проверку"),
            ("verify_riskprofile", "Подтверждать, возвращать и разблокировать риск-профиль"),
            ("view_distribution", "Видеть распределение рисков по региону"),
            ("view_matrix", "Видеть матрицу рисков школ куратора"),
        ]

    def __str__(self) -> str:
        return f"Риск-профиль {self.school.short_name}, {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("risk_profiles:profile_detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def verified_by(self):
        return self.reviewed_by if self.is_verified else None


class RiskProfileItem(models.Model):
    """One factor of one profile: ФИОКО's value and level, and the school's decision."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    profile = models.ForeignKey(RiskProfile, on_delete=models.CASCADE, related_name="items",
                                verbose_name="риск-профиль")
    factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, related_name="items",
                               verbose_name="фактор риска")
    value = models.DecimalField("значение ФИОКО", max_digits=9, decimal_places=4, null=True,
                                blank=True)
    level = models.CharField("уровень риска", max_length=8, choices=Level.choices, blank=True)
    activated = models.BooleanField("активирован (школа работает над риском)", default=False)
    justification = models.TextField("обоснование школы", blank=True, max_length=4000)

    class Meta:
        verbose_name = "фактор в риск-профиле"
        verbose_name_plural = "факторы в риск-профилях"
        ordering = ["factor__position"]
        constraints = [
            models.UniqueConstraint(fields=["region", "profile", "factor"],
                                    name="risk_item_unique_factor"),
        ]
        indexes = [models.Index(fields=["factor", "activated"], name="risk_item_factor_act")]

    def __str__(self) -> str:
        return f"{self.profile}: {self.factor.code}"

    @property
    def value_display(self) -> str:
        """ФИОКО's value as Russians write it, without trailing zeros: «0,71»."""
        if self.value is None:
            return ""
        return format(self.value.normalize(), "f").replace(".", ",")
