"""Professional development of school staff: courses and their runs, staff records of
schools, enrolments with completion and attestation, and individual educational routes
(ИОМ) built from diagnosed professional deficits, with a methodist as tutor.

Staff records are personal data: they are read only inside the school (its coordinator),
by its curator and by regional staff (``selectors.staff_for``); everyone else sees counts.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.models import Region, ScopePath
from core.text import clean_spaces, name_key
from core.years import YEAR_VALIDATORS
from methodists.models import Methodist, Subject
from schools.models import School


class Course(models.Model):
    class Form(models.TextChoices):
        IN_PERSON = "in_person", "очно"
        DISTANCE = "distance", "дистанционно"
        BLENDED = "blended", "смешанно"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    title = models.CharField("название", max_length=500)
    audience = models.CharField("категория слушателей", max_length=500)
    hours = models.PositiveSmallIntegerField(
        "объём, часов", validators=[MinValueValidator(1), MaxValueValidator(2000)])
    form = models.CharField("форма обучения", max_length=16, choices=Form.choices)
    provider = models.CharField("организатор", max_length=500)
    description = models.TextField("описание", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "курс"
        verbose_name_plural = "курсы"
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class CourseRun(models.Model):
    """One run (поток) of a course, with its dates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="runs",
                               verbose_name="курс")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    label = models.CharField("поток", max_length=200, blank=True,
                             help_text="Например: «поток 1», «группа учителей истории».")
    starts_on = models.DateField("начало обучения")
    ends_on = models.DateField("окончание обучения")
    capacity = models.PositiveIntegerField("мест", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "поток курса"
        verbose_name_plural = "потоки курсов"
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course.title}: {self.period}"

    @property
    def period(self) -> str:
        label = f"{self.starts_on:%d.%m.%Y} — {self.ends_on:%d.%m.%Y}"
        return f"{self.label}, {label}" if self.label else label

    @property
    def year(self) -> int:
        return self.starts_on.year

    def get_absolute_url(self) -> str:
        return reverse("training:run", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание обучения раньше его начала."})


class StaffMember(models.Model):
    """A teacher or manager of a school (personal data of the school)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff",
                               verbose_name="школа")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    full_name = models.CharField("ФИО", max_length=255)
    name_key = models.CharField(max_length=255, editable=False)
    position = models.CharField("должность", max_length=255, blank=True)
    subjects = models.ManyToManyField(Subject, related_name="staff", blank=True,
                                      verbose_name="предметы")
    is_active = models.BooleanField("работает в школе", default=True)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "педагог школы"
        verbose_name_plural = "педагоги школ"
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name_key"], name="training_staff_unique",
                violation_error_message="Педагог с такими ФИО в этой школе уже есть.")
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = clean_spaces(self.full_name)
        self.name_key = name_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("training:staff", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", "обучается"
        COMPLETED = "completed", "завершил обучение"
        FAILED = "failed", "не завершил"
        WITHDRAWN = "withdrawn", "отчислен"

    class Result(models.TextChoices):
        NONE = "", "—"
        PASSED = "passed", "зачтено"
        NOT_PASSED = "not_passed", "не зачтено"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="enrolments",
                            verbose_name="поток")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT,
                              related_name="enrolments", verbose_name="педагог")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="предмет обучения")
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.ENROLLED)
    completed_on = models.DateField("дата завершения", null=True, blank=True)
    result = models.CharField("итоговая аттестация", max_length=16, choices=Result.choices,
                              blank=True, default=Result.NONE)
    certificate_number = models.CharField("номер удостоверения", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("записан", auto_now_add=True)

    class Meta:
        verbose_name = "зачисление на курс"
        verbose_name_plural = "зачисления на курсы"
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["region", "status"]),
                   models.Index(fields=["school", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "staff"], name="training_enrolment_unique",
                                    violation_error_message="Педагог уже записан на этот "
                                                            "поток."),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.run}"

    @property
    def is_enrolled(self) -> bool:
        """Still studying: neither finished (either way) nor withdrawn."""
        return self.status == self.Status.ENROLLED

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)


class Route(models.Model):
    """An individual educational route (ИОМ) of one staff member for a year."""

    class Status(models.TextChoices):
        ACTIVE = "active", "выполняется"
        DONE = "done", "завершён"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="routes",
                              verbose_name="педагог")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("учебный год (начало)", validators=YEAR_VALIDATORS)
    tutor = models.ForeignKey(Methodist, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="routes", verbose_name="тьютор (методист РМА)")
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "индивидуальные образовательные маршруты"
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="training_route_unique",
                                    violation_error_message="У педагога уже есть ИОМ на этот "
                                                            "учебный год."),
        ]

    def __str__(self) -> str:
        return f"ИОМ {self.staff} ({self.year}/{self.year + 1})"

    def get_absolute_url(self) -> str:
        return reverse("training:route", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def school_year_label(self) -> str:
        return f"{self.year}/{self.year + 1}"

    @property
    def is_active(self) -> bool:
        """Open: deficits, steps and their completion may still change."""
        return self.status == self.Status.ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class Deficit(models.Model):
    """A professional deficit diagnosed or entered for a route."""

    class Area(models.TextChoices):
        SUBJECT = "subject", "предметные компетенции"
        METHODS = "methods", "методические компетенции"
        PSYCHOLOGY = "psychology", "психолого-педагогические компетенции"
        COMMUNICATION = "communication", "коммуникативные компетенции"
        LITERACY = "literacy", "формирование функциональной грамотности"
        DIGITAL = "digital", "цифровые компетенции"

    class Source(models.TextChoices):
        DIAGNOSTIC = "diagnostic", "по результатам диагностики"
        ENTERED = "entered", "выявлен тьютором или школой"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="deficits",
                              verbose_name="маршрут")
    area = models.CharField("область", max_length=16, choices=Area.choices)
    description = models.CharField("дефицит", max_length=500)
    source = models.CharField("источник", max_length=16, choices=Source.choices)
    diagnostic = models.CharField("диагностика", max_length=255, blank=True)
    diagnosed_on = models.DateField("дата диагностики", null=True, blank=True)
    diagnostic_score = models.PositiveSmallIntegerField(
        "результат диагностики, %", null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    is_closed = models.BooleanField("преодолён", default=False)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "профессиональный дефицит"
        verbose_name_plural = "профессиональные дефициты"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class RouteStep(models.Model):
    """What was chosen to close a deficit: a course run or tutoring, or self-study."""

    class Kind(models.TextChoices):
        COURSE = "course", "курс повышения квалификации"
        TUTORING = "tutoring", "тьюторское сопровождение"
        SELF = "self", "самообразование, стажировка"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps",
                              verbose_name="маршрут")
    deficit = models.ForeignKey(Deficit, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="steps", verbose_name="дефицит")
    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, null=True, blank=True,
                            related_name="+", verbose_name="поток курса")
    description = models.CharField("содержание", max_length=500, blank=True)
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнено", null=True, blank=True)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "шаг маршрута"
        verbose_name_plural = "шаги маршрута"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.run_id:
            return f"Курс «{self.run.course.title}» ({self.run.period})"
        return self.description or self.get_kind_display()


class RouteNote(models.Model):
    """A tutor's (or coordinator's) note on the route's progress."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="notes",
                              verbose_name="маршрут")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="автор")
    text = models.TextField("заметка", max_length=4000)
    created_at = models.DateTimeField("добавлена", auto_now_add=True)

    class Meta:
        verbose_name = "заметка тьютора"
        verbose_name_plural = "заметки тьютора"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]
