"""The management cycle's indicators (seed 004 §3): what a region measures of its work with
ШНОР and ШССУ, the targets it sets per territory and year, and the values — computed from
the portal's published facts or entered with evidence where the portal has no data.

A value belongs to a territory: the region as a whole (``municipality`` empty) or one of its
municipalities. A municipal target may be stricter than the region's, never looser.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import Municipality, Region, ScopePath
from core.years import YEAR_VALIDATORS


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        INDEX = "index", "индекс"

    class Level(models.TextChoices):
        REGION = "region", "регион"
        MUNICIPALITY = "municipality", "муниципалитет"
        SCHOOL = "school", "школа"

    class Direction(models.TextChoices):
        HIGHER = "higher", "чем больше, тем лучше"
        LOWER = "lower", "чем меньше, тем лучше"

    class Source(models.TextChoices):
        COMPUTED = "computed", "вычисляется порталом"
        ENTERED = "entered", "вносится с подтверждением"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    code = models.CharField("код", max_length=16)
    title = models.CharField("показатель", max_length=500)
    unit = models.CharField("единица", max_length=16, choices=Unit.choices,
                            default=Unit.PERCENT)
    level = models.CharField("уровень", max_length=16, choices=Level.choices,
                             default=Level.MUNICIPALITY)
    direction = models.CharField("направление", max_length=8, choices=Direction.choices,
                                 default=Direction.HIGHER)
    source = models.CharField("как получается", max_length=16, choices=Source.choices)
    #: For a computed indicator: the key of ``management.computations.COMPUTATIONS``.
    fact = models.CharField("вычисление", max_length=40, blank=True)
    evidence_required = models.BooleanField("нужно подтверждение файлом", default=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["region", "year", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "code"],
                                               name="management_indicator_unique")]
        permissions = [("set_target", "Может задавать целевые значения"),
                       ("enter_value", "Может вносить значения показателей"),
                       ("compute_value", "Может пересчитывать значения показателей")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.COMPUTED

    @property
    def is_percent(self) -> bool:
        return self.unit == self.Unit.PERCENT

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER

    def meets(self, value: Decimal | None, target: Decimal | None) -> bool | None:
        """Whether ``value`` reaches ``target`` (None: nothing to judge)."""
        if value is None or target is None:
            return None
        return value >= target if self.higher_is_better else value <= target

    def get_absolute_url(self) -> str:
        return reverse("management:indicator", args=[self.public_id])


class _Territorial(models.Model):
    """A row about an indicator in one territory: the region (no municipality) or one of
    its municipalities."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+",
                                  verbose_name="показатель")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="муниципалитет")

    class Meta:
        abstract = True

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.indicator.region_id, self.municipality_id)

    @property
    def territory(self) -> str:
        return self.municipality.name if self.municipality_id else "регион в целом"

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.territory}"


class Target(_Territorial):
    value = models.DecimalField("целевое значение", max_digits=9, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name="задал")
    set_at = models.DateTimeField("задано", auto_now=True)

    class Meta:
        verbose_name = "целевое значение"
        verbose_name_plural = "целевые значения"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "municipality"],
                                    name="management_target_unique"),
            models.UniqueConstraint(fields=["indicator"],
                                    condition=models.Q(municipality__isnull=True),
                                    name="management_target_region_unique"),
        ]


def evidence_path(instance: IndicatorValue, filename: str) -> str:
    return f"management/evidence/{uuid.uuid4().hex}/{filename}"


class IndicatorValue(_Territorial):
    value = models.DecimalField("значение", max_digits=9, decimal_places=2, null=True,
                                blank=True)
    #: A share's parts (schools, teachers) when computed: «3 из 5».
    numerator = models.PositiveIntegerField("числитель", null=True, blank=True)
    denominator = models.PositiveIntegerField("знаменатель", null=True, blank=True)
    #: For a computed value: the ids of the schools behind it (the drill-down).
    school_ids = models.JSONField("школы", default=list, blank=True)
    basis = models.TextField("как получено", blank=True)
    computed_at = models.DateTimeField("вычислено", null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="внёс")
    entered_at = models.DateTimeField("внесено", null=True, blank=True)
    evidence = models.FileField("подтверждение", upload_to=evidence_path, max_length=300,
                                blank=True)
    evidence_name = models.CharField("имя файла", max_length=255, blank=True)

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "municipality"],
                                    name="management_value_unique"),
            models.UniqueConstraint(fields=["indicator"],
                                    condition=models.Q(municipality__isnull=True),
                                    name="management_value_region_unique"),
        ]


def result_path(instance: MonitoringEvent, filename: str) -> str:
    return f"management/calendar/{uuid.uuid4().hex}/{filename}"


class MonitoringEvent(models.Model):
    """A dated event of the monitoring calendar (seed 004 §5): what is done, by when, by
    whom, and the document it ends with."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    code = models.CharField("код", max_length=32)
    title = models.CharField("мероприятие", max_length=500)
    use = models.TextField("как используются результаты", blank=True)
    due_on = models.DateField("срок")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", verbose_name="ответственный")
    done_on = models.DateField("проведено", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name="отметил")
    note = models.TextField("итог", blank=True)
    result = models.FileField("итоговый документ", upload_to=result_path, max_length=300,
                              blank=True)
    result_name = models.CharField("имя файла", max_length=255, blank=True)
    #: A reminder is sent once per kind: before the due date, and once it is overdue.
    reminded_soon = models.BooleanField(default=False, editable=False)
    reminded_overdue = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "мероприятие календаря мониторинга"
        verbose_name_plural = "календарь мониторинга"
        ordering = ["region", "year", "due_on", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "code"],
                                               name="management_event_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d.%m.%Y})"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, day) -> bool:
        return not self.is_done and self.due_on < day

    def get_absolute_url(self) -> str:
        return f"{reverse('management:calendar')}?region={self.region.code}&year={self.year}"


def report_path(instance: Recommendation, filename: str) -> str:
    return f"management/recommendations/{uuid.uuid4().hex}/{filename}"


class Recommendation(models.Model):
    """A targeted recommendation (seed 004 §7) to a school's head, to a curator school (for
    the school it helps) or to a municipality, with a due date; the addressee acknowledges
    it and reports what was done, the issuer accepts the report or returns it."""

    class Addressee(models.TextChoices):
        SCHOOL = "school", "руководителю школы"
        CURATOR_SCHOOL = "curator_school", "школе-куратору"
        MUNICIPALITY = "municipality", "муниципалитету"

    class Status(models.TextChoices):
        ISSUED = "issued", "направлена"
        ACKNOWLEDGED = "acknowledged", "принята к исполнению"
        REPORTED = "reported", "отчёт об исполнении"
        ACCEPTED = "accepted", "исполнена"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет")
    #: The school addressed (its head, or the curator school); none for a municipality.
    school = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+", verbose_name="школа")
    #: For a curator school: the school it is to help.
    helped_school = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name="для школы")
    addressee = models.CharField("адресат", max_length=16, choices=Addressee.choices)
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    text = models.TextField("рекомендация")
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="показатель")
    risk_code = models.CharField("фактор риска", max_length=8, blank=True)
    due_on = models.DateField("срок")
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.ISSUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="направил")
    created_at = models.DateTimeField("направлена", auto_now_add=True)
    acknowledged_at = models.DateTimeField("принята", null=True, blank=True)
    report = models.TextField("что сделано", blank=True)
    report_file = models.FileField("подтверждение", upload_to=report_path, max_length=300,
                                   blank=True)
    report_name = models.CharField("имя файла", max_length=255, blank=True)
    reported_at = models.DateTimeField("отчёт", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="отчитался")
    comment = models.TextField("замечание к отчёту", blank=True)

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"
        ordering = ["due_on", "pk"]
        permissions = [("issue_recommendation", "Может направлять адресные рекомендации")]

    def __str__(self) -> str:
        return f"Рекомендация {self.get_addressee_display()} до {self.due_on:%d.%m.%Y}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.school_id)

    @property
    def addressed_to(self) -> str:
        if self.school_id:
            return self.school.short_name
        return self.municipality.name

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ACCEPTED

    @property
    def is_reported(self) -> bool:
        return self.status == self.Status.REPORTED

    def is_overdue(self, day) -> bool:
        return self.is_open and self.status != self.Status.REPORTED and self.due_on < day

    def get_absolute_url(self) -> str:
        return reverse("management:recommendation", args=[self.public_id])
