"""The school registry. The foundation keeps a school's identity; the yearly statuses and
indices of the official lists are added by the registry's own issue."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from core.models import Municipality, Region, ScopePath

login_validator = RegexValidator(
    r"^sch\d{6}$", "Логин ФИС ОКО имеет вид sch и шесть цифр, например sch610123."
)


class School(models.Model):
    class Kind(models.TextChoices):
        SOSH = "СОШ", "средняя общеобразовательная школа"
        OOSH = "ООШ", "основная общеобразовательная школа"
        NOSH = "НОШ", "начальная общеобразовательная школа"
        LYCEUM = "лицей", "лицей"
        GYMNASIUM = "гимназия", "гимназия"
        BOARDING = "школа-интернат", "школа-интернат"
        CENTRE = "центр образования", "центр образования"
        OTHER = "иное", "иное"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="schools", verbose_name="муниципалитет")
    login = models.CharField("логин ФИС ОКО", max_length=9, unique=True,
                             validators=[login_validator])
    inn = models.CharField("ИНН", max_length=12, blank=True)
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=255)
    address = models.CharField("адрес", max_length=500, blank=True)
    kind = models.CharField("тип", max_length=32, choices=Kind.choices, default=Kind.SOSH)
    is_rural = models.BooleanField("сельская школа", default=False)
    is_demo = models.BooleanField(
        "демонстрационная запись", default=False,
        help_text="Название придумано для демонстрации: в источнике есть только число школ.",
    )

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"
        ordering = ["short_name"]
        permissions = [
            ("coordinate_school", "Координирует работу школы (школьный координатор)"),
            ("curate_school", "Курирует школу (куратор)"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        if self.login:
            self.login = self.login.strip().lower()
        if (self.municipality_id and self.region_id
                and self.municipality.region_id != self.region_id):
            raise ValidationError({"municipality": "Муниципалитет относится к другому региону."})
        if self.login and self.region_id and len(self.login) == 9:
            if int(self.login[3:5]) != self.region.code:
                raise ValidationError({"login": (
                    f"Первые две цифры логина ({self.login[3:5]}) должны совпадать с кодом "
                    f"региона ({self.region.code:02d})."
                )})

    def get_absolute_url(self) -> str:
        return reverse("schools:school_detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.pk)
