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
    #: The measure the recommendation became in the school's roadmap.
    measure = models.ForeignKey("roadmaps.RoadmapItem", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name="мероприятие")

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


# -- analysis -----------------------------------------------------------------------------------
class Conclusion(models.Model):
    """An analyst's conclusions on an indicator (seed 004 §6). Each save is a new row: the
    latest is shown, the earlier ones stay as the history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+",
                                  verbose_name="показатель")
    text = models.TextField("выводы")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="автор")
    written_at = models.DateTimeField("записаны", auto_now_add=True)

    class Meta:
        verbose_name = "выводы анализа"
        verbose_name_plural = "выводы анализа"
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Выводы по {self.indicator.code} ({self.written_at:%d.%m.%Y})"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.indicator.region_id)


# -- management decisions -------------------------------------------------------------------------
def decision_path(instance: Decision, filename: str) -> str:
    return f"management/decisions/{uuid.uuid4().hex}/{filename}"


class Decision(models.Model):
    """A management decision (seed 004 §9): its kind, the document that records it and what
    it targets — indicators, schools, recommendations. Recorded once, never changed."""

    class Kind(models.TextChoices):
        ORGANIZING = "organizing", "организующее"
        ACTIVATING = "activating", "активизирующее"
        COORDINATING = "coordinating", "координирующее"
        CONTROLLING = "controlling", "контролирующее"
        STIMULATING = "stimulating", "стимулирующее"

    class DocumentType(models.TextChoices):
        ORDER = "order", "приказ"
        DIRECTIVE = "directive", "распоряжение"
        PROTOCOL = "protocol", "протокол"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    #: The level: a municipality's decision, or the region's (empty).
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    kind = models.CharField("вид решения", max_length=16, choices=Kind.choices)
    title = models.CharField("содержание решения", max_length=1000)
    document_type = models.CharField("документ", max_length=16, choices=DocumentType.choices)
    number = models.CharField("номер", max_length=40)
    signed_on = models.DateField("дата")
    file = models.FileField("файл документа", upload_to=decision_path, max_length=300)
    file_name = models.CharField("имя файла", max_length=255)
    author = models.CharField("кем принято (должность, ФИО)", max_length=300)
    indicator_codes = models.JSONField("показатели", default=list, blank=True)
    schools = models.ManyToManyField(settings.PORTAL_SCHOOL_MODEL, blank=True, related_name="+",
                                     verbose_name="школы")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+",
                                             verbose_name="рекомендации")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="внёс")
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["-signed_on", "-pk"]
        permissions = [("record_decision", "Может вносить управленческие решения")]

    def __str__(self) -> str:
        return (f"{self.get_document_type_display().capitalize()} № {self.number} "
                f"от {self.signed_on:%d.%m.%Y}")

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id)

    @property
    def level(self) -> str:
        return self.municipality.name if self.municipality_id else "региональный уровень"

    def get_absolute_url(self) -> str:
        return reverse("management:decision", args=[self.public_id])


# -- the yearly report of the cycle ----------------------------------------------------------------
def cycle_report_path(instance: CycleReport, filename: str) -> str:
    return f"management/reports/{uuid.uuid4().hex}/{filename}"


class CycleReport(models.Model):
    """The yearly report of the management cycle for the region or a municipality (seed 004
    §10), rendered to PDF by a job; each rendering is a new row, and one of them is approved
    by the working group (the protocol's number and date)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    file = models.FileField("PDF", upload_to=cycle_report_path, max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name="сформировал")
    created_at = models.DateTimeField("сформирован", auto_now_add=True)
    protocol_number = models.CharField("номер протокола", max_length=40, blank=True)
    protocol_on = models.DateField("дата протокола", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="утвердил")
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)

    class Meta:
        verbose_name = "отчёт управленческого цикла"
        verbose_name_plural = "отчёты управленческого цикла"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Отчёт {self.year} г.: {self.territory}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id)

    @property
    def territory(self) -> str:
        return self.municipality.name if self.municipality_id else self.region.name

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def file_name(self) -> str:
        return f"Отчёт управленческого цикла {self.year} — {self.territory}.pdf"


# -- the exit list ------------------------------------------------------------------------------
class ExitProposal(models.Model):
    """A school proposed for exclusion from the programme (seed 004 §6): its ИОР improved for
    the required consecutive years and its risk profile shows fewer activated risks. Regional
    staff approve it with a decision or reject it with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "предложена"
        APPROVED = "approved", "исключение утверждено"
        REJECTED = "rejected", "оставлена в программе"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет")
    school = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    #: ИОР by year, oldest first: [[2020, "0.41"], [2021, "0.47"], …].
    ior_series = models.JSONField("ИОР по годам", default=list)
    risks_before = models.PositiveSmallIntegerField("рисков было")
    risks_now = models.PositiveSmallIntegerField("рисков стало")
    basis = models.TextField("основание")
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.PROPOSED)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="решение")
    comment = models.TextField("комментарий", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="рассмотрел")
    reviewed_at = models.DateTimeField("рассмотрено", null=True, blank=True)
    created_at = models.DateTimeField("предложено", auto_now_add=True)

    class Meta:
        verbose_name = "школа в списке на исключение"
        verbose_name_plural = "список на исключение из программы"
        ordering = ["municipality__name", "school__short_name"]
        constraints = [models.UniqueConstraint(fields=["school", "year"],
                                               name="management_exit_unique")]
        permissions = [("review_exit", "Может утверждать список на исключение")]

    def __str__(self) -> str:
        return f"{self.school.short_name}: исключение {self.year}"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.school_id)

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
