"""The school registry. The foundation keeps a school's identity; the yearly statuses and
indices of the official lists are added by the registry's own issue."""

from __future__ import annotations

import uuid

from django.conf import settings
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
            ("export_school", "Выгружает список школ"),
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


class Group(models.TextChoices):
    """Groups of seed 004: ИОР (results) high/low × ИСБ (social wellbeing) high/low."""

    EFFECTIVE = "effective", "эффективные"
    RESILIENT = "resilient", "резильентные"
    STRUGGLING = "struggling", "несправляющиеся"
    DEPRIVED = "deprived", "депривированные"


class IndexThresholds(models.Model):
    """The year's thresholds of a region: ИОР ≥ ``ior_min`` is «high results», ИСБ ≥
    ``isb_min`` is «favourable conditions». Groups are computed from these, never typed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год")
    ior_min = models.DecimalField("порог ИОР", max_digits=8, decimal_places=3)
    isb_min = models.DecimalField("порог ИСБ", max_digits=8, decimal_places=3)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "пороги индексов"
        verbose_name_plural = "пороги индексов"
        ordering = ["region__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="schools_thresholds_unique",
                                    violation_error_message="Пороги на этот год уже заданы.")
        ]

    def __str__(self) -> str:
        return f"{self.region}, {self.year}: ИОР ≥ {self.ior_min}, ИСБ ≥ {self.isb_min}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class SchoolYear(models.Model):
    """A school's status in one programme year, as the official lists give it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years",
                               verbose_name="школа")
    year = models.PositiveSmallIntegerField("год")
    is_shnor = models.BooleanField("ШНОР", default=False)
    is_shssu = models.BooleanField("ШССУ", default=False)
    is_participant = models.BooleanField("участник «500+»", default=False)
    category = models.CharField("категория", max_length=100, blank=True)
    ior = models.DecimalField("ИОР", max_digits=8, decimal_places=3, null=True, blank=True)
    isb = models.DecimalField("ИСБ", max_digits=8, decimal_places=3, null=True, blank=True)
    batch = models.ForeignKey("ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="последний импорт")

    class Meta:
        verbose_name = "статус школы за год"
        verbose_name_plural = "статусы школ по годам"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "school", "year"],
                                    name="schools_schoolyear_unique")
        ]
        indexes = [models.Index(fields=["region", "year"], name="schools_year_region")]

    def __str__(self) -> str:
        return f"{self.school} — {self.year}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def flags(self) -> list[str]:
        return [label for flag, label in (("is_shnor", "ШНОР"), ("is_shssu", "ШССУ"),
                                          ("is_participant", "«500+»")) if getattr(self, flag)]


class ImportBatch(models.Model):
    """One upload of an official table (a school list, ФИОКО's risk profiles …): the file,
    the mapping, the preview and the outcome. ``kind`` tells which importer reads it."""

    class Kind(models.TextChoices):
        SHNOR = "shnor", "перечень ШНОР"
        SHSSU = "shssu", "перечень ШССУ"
        PARTICIPANTS = "participants", "участники «500+»"
        COMBINED = "combined", "сводный список (признаки в столбцах)"
        RISK_PROFILES = "risk_profiles", "риск-профили школ (ФИОКО)"
        CURATORS = "curators", "кураторы и закреплённые территории"
        ROADMAP = "roadmap", "дорожная карта (мероприятия)"
        METHODISTS = "methodists", "региональный методический актив (РМА)"
        ENROLMENTS = "enrolments", "список слушателей курса"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "загружен"
        PREVIEWED = "previewed", "проверен, ждёт подтверждения"
        INVALID = "invalid", "есть ошибки"
        APPLIED = "applied", "применён"
        FAILED = "failed", "не удалось прочитать"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: Which importer reads the file (``core.importing.register_importer``).
    target = models.CharField("что загружается", max_length=32, default="schools")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="регион",
                               help_text="Пусто — федеральный список (только администратор).")
    year = models.PositiveSmallIntegerField("год")
    kind = models.CharField("вид файла", max_length=16, choices=Kind.choices)
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.UPLOADED)
    file = models.FileField("файл", upload_to="imports/%Y/%m/")
    file_name = models.CharField("имя файла", max_length=255)
    file_sha256 = models.CharField("SHA-256", max_length=64)
    file_size = models.PositiveBigIntegerField("размер, байт")
    sheet_name = models.CharField("лист", max_length=255, blank=True)
    header_row = models.PositiveIntegerField("строка заголовков", null=True, blank=True)
    columns = models.JSONField("столбцы файла", default=list, blank=True)
    mapping = models.JSONField("сопоставление столбцов", default=dict, blank=True)
    counts = models.JSONField("итоги", default=dict, blank=True)
    errors = models.JSONField("ошибки строк", default=list, blank=True)
    diff = models.JSONField("изменения", default=dict, blank=True)
    #: What the importer needs besides the file (the order that assigns curators …).
    params = models.JSONField("параметры загрузки", default=dict, blank=True)
    message = models.CharField("сообщение", max_length=1000, blank=True)
    #: Rows that are not data (totals, notes, repeated headers), with the reason.
    skipped = models.JSONField("пропущенные строки", default=list, blank=True)
    #: What the reader changed and says so («логин набран кириллицей …»).
    notes = models.JSONField("замечания", default=list, blank=True)
    #: The normalised header's fingerprint: a confirmed mapping is kept for it.
    header_signature = models.CharField("подпись заголовка", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="кто загрузил")
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    previewed_at = models.DateTimeField("проверен", null=True, blank=True)
    applied_at = models.DateTimeField("применён", null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто применил")

    class Meta:
        verbose_name = "импорт списка школ"
        verbose_name_plural = "импорты списков школ"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("schools:import_detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    # the state, for templates (they never compare ``status`` to a string)
    @property
    def is_uploaded(self) -> bool:
        return self.status == self.Status.UPLOADED

    @property
    def is_previewed(self) -> bool:
        return self.status == self.Status.PREVIEWED

    @property
    def is_invalid(self) -> bool:
        return self.status == self.Status.INVALID

    @property
    def is_applied(self) -> bool:
        return self.status == self.Status.APPLIED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    def saved_mappings(self):
        """The mappings confirmed for files of this batch's region and target, newest
        first (``core.importing`` reuses one whose header has the same shape)."""
        return ImportMapping.objects.filter(region_id=self.region_id,
                                            target=self.target).order_by("-confirmed_at")


class ImportMapping(models.Model):
    """A column mapping confirmed for files of one shape (the same normalised header at the
    same row) in a region: next year's file of that shape needs no manual step."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name="регион")
    target = models.CharField("что загружается", max_length=32)
    signature = models.CharField("подпись заголовка", max_length=64)
    header_row = models.PositiveIntegerField("строка заголовков")
    mapping = models.JSONField("сопоставление столбцов", default=dict)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="загрузка")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="кто подтвердил")
    confirmed_at = models.DateTimeField("подтверждено", auto_now=True)

    class Meta:
        verbose_name = "сопоставление столбцов"
        verbose_name_plural = "сопоставления столбцов"
        constraints = [models.UniqueConstraint(fields=["region", "target", "signature"],
                                               nulls_distinct=False,
                                               name="schools_import_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.target}: {self.signature[:8]}"
