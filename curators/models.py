"""Curators: who curates which school in which year (under which order), what they declared
about their own work places, what they did (the work log) and how they scored the schools'
concept documents (the expertise sheet of seed 001).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.models import Municipality, Region, ScopePath
from core.years import YEAR_VALIDATORS
from schools.models import School


def _stored_name(folder: str, instance, filename: str) -> str:
    """A storage name no user controls: folder / region / uuid + the checked extension."""
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"curators/{folder}/{instance.region_id}/{uuid.uuid4().hex}{extension}"


def order_upload_to(instance: CuratorOrder, filename: str) -> str:
    return _stored_name("orders", instance, filename)


def evidence_upload_to(instance: WorkLogEntry, filename: str) -> str:
    return _stored_name("log", instance, filename)


class CuratorOrder(models.Model):
    """The ordering document that assigns curators («приказ от 09.03.2022 № 235»)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField(
        "год программы", validators=YEAR_VALIDATORS)
    number = models.CharField("номер приказа", max_length=64)
    date = models.DateField("дата приказа")
    title = models.CharField("заголовок", max_length=500, blank=True)
    file = models.FileField("файл приказа", upload_to=order_upload_to, max_length=255,
                            blank=True)
    file_name = models.CharField("имя файла", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "приказ о закреплении кураторов"
        verbose_name_plural = "приказы о закреплении кураторов"
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number", "date"], name="curators_order_unique",
                violation_error_message="Такой приказ (номер и дата) уже есть.")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"приказ от {self.date:%d.%m.%Y} № {self.number}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class CuratorAssignment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="curator_assignments", verbose_name="куратор")
    school = models.ForeignKey(School, on_delete=models.PROTECT,
                               related_name="curator_assignments", verbose_name="школа")
    year = models.PositiveSmallIntegerField(
        "год программы", validators=YEAR_VALIDATORS)
    order = models.ForeignKey(CuratorOrder, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="assignments", verbose_name="приказ")
    organisation = models.CharField("организация куратора", max_length=255, blank=True)
    unit = models.CharField("подразделение куратора", max_length=255, blank=True)
    is_co_curator = models.BooleanField(
        "сокуратор", default=False,
        help_text="Второй куратор школы: помогает основному, не заменяя его.")
    starts_on = models.DateField("действует с", null=True, blank=True)
    ends_on = models.DateField("действует по", null=True, blank=True)
    conflict_note = models.CharField(
        "конфликт интересов", max_length=500, blank=True,
        help_text="Что показала проверка при назначении, если назначили несмотря на неё.")
    started_at = models.DateTimeField("назначено", auto_now_add=True)
    ended_at = models.DateTimeField("завершено", null=True, blank=True)
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
            ),
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=Q(ended_at__isnull=True, is_co_curator=False),
                name="curators_assignment_one_lead",
                violation_error_message="У школы уже есть основной куратор на этот год.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curator} — {self.school} ({self.year})"

    @property
    def order_label(self) -> str:
        return self.order.label if self.order_id else ""

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    def clean(self) -> None:
        if self.school_id and self.region_id and self.school.region_id != self.region_id:
            raise ValidationError({"school": "Школа относится к другому региону."})


class Affiliation(models.Model):
    """A curator's declared work place: a school, or a municipality's education
    administration (``school`` empty). Assigning a curator to that school (or to a school of
    that municipality) is a conflict of interest the board warns about."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="affiliations", verbose_name="куратор")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="школа")
    position = models.CharField("должность", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("заявлено", auto_now_add=True)
    ended_at = models.DateTimeField("снято", null=True, blank=True)

    class Meta:
        verbose_name = "место работы куратора"
        verbose_name_plural = "места работы кураторов"
        ordering = ["user__last_name", "municipality__name"]

    def __str__(self) -> str:
        return f"{self.user}: {self.place}"

    @property
    def place(self) -> str:
        if self.school_id:
            return self.school.short_name
        return f"органы управления образованием: {self.municipality.name}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class WorkLogEntry(models.Model):
    """One dated piece of a curator's work. Document reviews are not copied here: the log
    reads them from ``roadmaps.Review`` (see ``curators.selectors.work_log_for``)."""

    class Kind(models.TextChoices):
        VISIT = "visit", "выезд в школу"
        CONSULTATION = "consultation", "консультация"
        REVIEW = "review", "проверка документов"
        WEBINAR = "webinar", "вебинар, совещание"
        OTHER = "other", "другое"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="work_log", verbose_name="куратор")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="школа",
                               help_text="Пусто — работа со всеми закреплёнными школами.")
    date = models.DateField("дата")
    kind = models.CharField("вид работы", max_length=16, choices=Kind.choices)
    minutes = models.PositiveSmallIntegerField(
        "длительность, мин", validators=[MinValueValidator(1), MaxValueValidator(24 * 60)])
    text = models.TextField("что сделано", max_length=3000)
    evidence = models.FileField("подтверждающий файл", upload_to=evidence_upload_to,
                                max_length=255, blank=True)
    evidence_name = models.CharField("имя файла", max_length=255, blank=True)
    evidence_size = models.PositiveBigIntegerField("размер, байт", null=True, blank=True)
    created_at = models.DateTimeField("записано", auto_now_add=True)
    removed_at = models.DateTimeField("удалено", null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "запись журнала куратора"
        verbose_name_plural = "журнал работы кураторов"
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"

    @property
    def scope_path(self) -> ScopePath:
        if self.school_id:
            return ScopePath(self.region_id, self.school.municipality_id, self.school_id)
        return ScopePath(self.region_id)


class ExpertiseScheme(models.Model):
    """The expertise sheet of a programme year: its criteria and the colour zones."""

    year = models.PositiveSmallIntegerField(
        "год программы", unique=True,
        validators=YEAR_VALIDATORS)
    title = models.CharField("название", max_length=255)
    red_max = models.PositiveSmallIntegerField("красная зона: до (включительно)")
    yellow_max = models.PositiveSmallIntegerField("жёлтая зона: до (включительно)")

    class Meta:
        verbose_name = "экспертный лист (схема года)"
        verbose_name_plural = "экспертные листы (схемы по годам)"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria.all())

    def zone_of(self, total: int) -> str:
        """5 → red, 6 → yellow, 10 → yellow, 11 → green (with 2022's 5 and 10)."""
        if total <= self.red_max:
            return ExpertiseSheet.Zone.RED
        if total <= self.yellow_max:
            return ExpertiseSheet.Zone.YELLOW
        return ExpertiseSheet.Zone.GREEN

    def clean(self) -> None:
        if self.red_max is not None and self.yellow_max is not None \
                and self.red_max >= self.yellow_max:
            raise ValidationError("Граница красной зоны должна быть меньше границы жёлтой.")


class ExpertiseCriterion(models.Model):
    scheme = models.ForeignKey(ExpertiseScheme, on_delete=models.CASCADE,
                               related_name="criteria", verbose_name="схема")
    position = models.PositiveSmallIntegerField("№")
    title = models.CharField("критерий", max_length=500)
    document = models.CharField("документ", max_length=100, blank=True,
                                help_text="К какому документу относится критерий.")
    min_points = models.PositiveSmallIntegerField("наименьший балл", default=0)
    max_points = models.PositiveSmallIntegerField("наибольший балл")

    class Meta:
        verbose_name = "критерий экспертного листа"
        verbose_name_plural = "критерии экспертного листа"
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"],
                                    name="curators_criterion_position_unique"),
            models.CheckConstraint(condition=Q(min_points__lt=models.F("max_points")),
                                   name="curators_criterion_range"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ExpertiseSheet(models.Model):
    """One school's concept documents scored against the year's criteria."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликован"

    class Zone(models.TextChoices):
        RED = "red", "красная"
        YELLOW = "yellow", "жёлтая"
        GREEN = "green", "зелёная"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    school = models.ForeignKey(School, on_delete=models.PROTECT,
                               related_name="expertise_sheets", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год программы")
    scheme = models.ForeignKey(ExpertiseScheme, on_delete=models.PROTECT, related_name="+",
                               verbose_name="схема")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="эксперт")
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    total = models.PositiveSmallIntegerField("сумма баллов", default=0)
    comment = models.TextField("заключение эксперта", max_length=3000, blank=True)
    concept_version = models.ForeignKey("roadmaps.DocumentVersion", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name="концепция (версия)")
    programme_version = models.ForeignKey("roadmaps.DocumentVersion",
                                          on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+",
                                          verbose_name="среднесрочная программа (версия)")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    published_at = models.DateTimeField("опубликован", null=True, blank=True)

    class Meta:
        verbose_name = "экспертный лист"
        verbose_name_plural = "экспертные листы"
        ordering = ["-year", "total"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"],
                                    name="curators_sheet_one_per_school_year",
                                    violation_error_message="Экспертный лист этой школы за "
                                                            "этот год уже есть."),
        ]

    def __str__(self) -> str:
        return f"Экспертный лист: {self.school} ({self.year})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def zone(self) -> str:
        return self.scheme.zone_of(self.total)

    def get_zone_display(self) -> str:
        return self.Zone(self.zone).label

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)


class ExpertiseScore(models.Model):
    sheet = models.ForeignKey(ExpertiseSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ExpertiseCriterion, on_delete=models.PROTECT,
                                  related_name="+")
    points = models.PositiveSmallIntegerField("баллы")
    comment = models.CharField("комментарий", max_length=1000, blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"],
                                    name="curators_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"
