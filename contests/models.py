"""The regional contest «Наша история успеха» (seed 000, stages 1–8).

An edition per region and year has its regulation, dates of the stages and nominations;
each nomination has weighted criteria with a score range and a jury panel drawn from the
regional methodical pool. Schools apply with materials (immutable file versions) and, for
the video nomination, a video link. Jurors are assigned to applications without conflict
of interest, score them blind, and the region ranks, awards places and publishes the
results; winning and selected applications form the bank of best practices.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Municipality, Region, ScopePath
from methodists.models import Methodist, Subject
from risk_profiles.models import YEAR_VALIDATORS, RiskFactor
from schools.models import School
from training.models import Course

CONTEST_TITLE = "Наша история успеха"


class Edition(models.Model):
    """One year of the contest in one region."""

    class Stage(models.TextChoices):
        DRAFT = "draft", "подготовка"
        APPLICATIONS = "applications", "приём заявок"
        REVIEW = "review", "экспертиза"
        RESULTS = "results", "подведение итогов"
        PUBLISHED = "published", "итоги опубликованы"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    title = models.CharField("название", max_length=300, default=CONTEST_TITLE)
    regulation_order = models.CharField(
        "положение о конкурсе", max_length=500, blank=True,
        help_text="Реквизиты приказа, например: приказ минобразования Ростовской области "
                  "от 29.04.2022 № 432.")
    applications_open = models.DateField("начало приёма заявок")
    applications_close = models.DateField("окончание приёма заявок")
    review_close = models.DateField("окончание экспертизы")
    results_on = models.DateField("подведение итогов")
    publication_on = models.DateField("публикация итогов")
    jurors_per_application = models.PositiveSmallIntegerField(
        "членов жюри на заявку", default=3,
        validators=[MinValueValidator(1, "Нужен хотя бы один член жюри на заявку."),
                    MaxValueValidator(9, "Не больше девяти членов жюри на заявку.")])
    stage = models.CharField("этап", max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    published_at = models.DateTimeField("итоги опубликованы", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "конкурс (год)"
        verbose_name_plural = "конкурсы"
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="contests_edition_year",
                                    violation_error_message="Конкурс этого года в регионе уже "
                                                            "есть."),
        ]

    def __str__(self) -> str:
        return f"«{self.title}» {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("contests:edition", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    def clean(self) -> None:
        dates = [self.applications_open, self.applications_close, self.review_close,
                 self.results_on, self.publication_on]
        if None in dates:
            return
        if self.applications_close < self.applications_open:
            raise ValidationError({"applications_close": "Приём заявок не может закончиться "
                                                         "раньше, чем начался."})
        if self.review_close < self.applications_close:
            raise ValidationError({"review_close": "Экспертиза заканчивается после окончания "
                                                   "приёма заявок."})
        if self.results_on < self.review_close:
            raise ValidationError({"results_on": "Итоги подводятся после экспертизы."})
        if self.publication_on < self.results_on:
            raise ValidationError({"publication_on": "Итоги публикуются после их подведения."})

    def accepts_applications_on(self, day) -> bool:
        return (self.stage == self.Stage.APPLICATIONS
                and self.applications_open <= day <= self.applications_close)

    @property
    def review_closed(self) -> bool:
        """Scores of the other jurors and the ranking are shown from here on."""
        return self.stage in (self.Stage.RESULTS, self.Stage.PUBLISHED)

    @property
    def is_draft(self) -> bool:
        """«Подготовка»: nominations and criteria are being set up."""
        return self.stage == self.Stage.DRAFT

    @property
    def is_receiving(self) -> bool:
        """«Приём заявок» (whatever today's date: see :meth:`accepts_applications_on`)."""
        return self.stage == self.Stage.APPLICATIONS

    @property
    def is_reviewing(self) -> bool:
        """«Экспертиза»: the jurors score."""
        return self.stage == self.Stage.REVIEW

    @property
    def is_summing_up(self) -> bool:
        """«Подведение итогов»: places are awarded."""
        return self.stage == self.Stage.RESULTS

    @property
    def is_published(self) -> bool:
        return self.stage == self.Stage.PUBLISHED


class StoredFile(models.Model):
    """One upload, never changed after it is written (a fix is a new version)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    number = models.PositiveIntegerField("номер версии")
    file = models.FileField("файл", max_length=255)
    original_name = models.CharField("имя файла у пользователя", max_length=255)
    extension = models.CharField("тип файла", max_length=8)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="кто загрузил")
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        abstract = True


class Regulation(StoredFile):
    """A version of the edition's regulation (положение о конкурсе)."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="regulations",
                                verbose_name="конкурс")

    class Meta:
        verbose_name = "положение о конкурсе"
        verbose_name_plural = "положения о конкурсе"
        ordering = ["edition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "edition", "number"],
                                    name="contests_regulation_number"),
        ]

    def __str__(self) -> str:
        return f"Положение, версия {self.number}"

    def get_download_url(self) -> str:
        return reverse("contests:regulation_download", args=[self.public_id])


class Nomination(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="nominations",
                                verbose_name="конкурс")
    number = models.PositiveSmallIntegerField("№", validators=[MinValueValidator(1)])
    title = models.CharField("название", max_length=500)
    is_video = models.BooleanField(
        "видеономинация", default=False,
        help_text="Заявка подаётся ссылкой на видеофильм; файлы — по желанию.")

    class Meta:
        verbose_name = "номинация"
        verbose_name_plural = "номинации"
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "edition", "number"],
                                    name="contests_nomination_number",
                                    violation_error_message="Номинация с этим номером уже "
                                                            "есть."),
            models.UniqueConstraint(fields=["region", "edition", "title"],
                                    name="contests_nomination_title",
                                    violation_error_message="Номинация с таким названием уже "
                                                            "есть."),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contests:nomination", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class Criterion(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT,
                                   related_name="criteria", verbose_name="номинация")
    number = models.PositiveSmallIntegerField("№", validators=[MinValueValidator(1)])
    title = models.CharField("критерий", max_length=500)
    weight = models.DecimalField(
        "вес", max_digits=5, decimal_places=2, default=1,
        validators=[MinValueValidator(0.01, "Вес критерия — положительное число."),
                    MaxValueValidator(100, "Вес критерия — не больше 100.")])
    min_score = models.SmallIntegerField("наименьший балл", default=0,
                                         validators=[MinValueValidator(0)])
    max_score = models.SmallIntegerField("наибольший балл", default=10,
                                         validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = "критерий оценки"
        verbose_name_plural = "критерии оценки"
        ordering = ["nomination", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "nomination", "number"],
                                    name="contests_criterion_number",
                                    violation_error_message="Критерий с этим номером уже "
                                                            "есть."),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def weight_label(self) -> str:
        """The weight as people write it: 1, 1,5."""
        return f"{self.weight.normalize():f}".replace(".", ",")

    def clean(self) -> None:
        if self.min_score is not None and self.max_score is not None and \
                self.max_score <= self.min_score:
            raise ValidationError({"max_score": "Наибольший балл должен быть больше "
                                                "наименьшего."})


class Juror(models.Model):
    """A methodist of the pool on the jury of one nomination."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT,
                                   related_name="jurors", verbose_name="номинация")
    methodist = models.ForeignKey(Methodist, on_delete=models.PROTECT,
                                  related_name="jury_seats", verbose_name="методист РМА")
    is_chair = models.BooleanField("председатель жюри номинации", default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField("включён", auto_now_add=True)

    class Meta:
        verbose_name = "член жюри"
        verbose_name_plural = "члены жюри"
        ordering = ["nomination", "-is_chair", "methodist__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "nomination", "methodist"],
                                    name="contests_juror_once",
                                    violation_error_message="Этот методист уже в жюри "
                                                            "номинации."),
            models.UniqueConstraint(fields=["nomination"], condition=Q(is_chair=True),
                                    name="contests_one_chair"),
        ]

    def __str__(self) -> str:
        return self.methodist.full_name

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "подана"
        WITHDRAWN = "withdrawn", "отозвана"

    PLACES = ((1, "I место"), (2, "II место"), (3, "III место"))

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="applications",
                                verbose_name="конкурс")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT,
                                   related_name="applications", verbose_name="номинация")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет")
    title = models.CharField("название практики", max_length=500)
    authors = models.TextField("авторы (ФИО, должность)", max_length=2000)
    description = models.TextField("краткое описание практики", max_length=10000)
    video_url = models.URLField("ссылка на видеофильм", max_length=500, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+",
                                      verbose_name="предметы")
    risk_factors = models.ManyToManyField(RiskFactor, blank=True, related_name="+",
                                          verbose_name="факторы риска")
    status = models.CharField("статус", max_length=16, choices=Status.choices,
                              default=Status.SUBMITTED)
    place = models.PositiveSmallIntegerField("место", null=True, blank=True, choices=PLACES)
    in_bank = models.BooleanField("в банке лучших практик", default=False)
    courses = models.ManyToManyField(Course, blank=True, related_name="+",
                                     verbose_name="включена в курсы")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="кто подал")
    submitted_at = models.DateTimeField("подана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    withdrawn_at = models.DateTimeField("отозвана", null=True, blank=True)

    class Meta:
        verbose_name = "конкурсная заявка"
        verbose_name_plural = "конкурсные заявки"
        ordering = ["nomination__number", "school__short_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "nomination", "school"], condition=Q(status="submitted"),
                name="contests_application_once",
                violation_error_message="Школа уже подала заявку в этой номинации."),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.school.short_name})"

    def get_absolute_url(self) -> str:
        return reverse("contests:application", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.school_id)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_practice(self) -> bool:
        """In the bank of best practices: a placed or selected application of a published
        edition."""
        return self.is_active and self.edition.is_published and bool(self.place or
                                                                     self.in_bank)


class Material(models.Model):
    """A material of an application (описание, презентация, приложение); its file has
    versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="materials", verbose_name="заявка")
    title = models.CharField("название материала", max_length=300)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)
    removed_at = models.DateTimeField("убран из заявки", null=True, blank=True)

    class Meta:
        verbose_name = "материал заявки"
        verbose_name_plural = "материалы заявок"
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MaterialVersion(StoredFile):
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name="материал")

    class Meta:
        verbose_name = "версия материала"
        verbose_name_plural = "версии материалов"
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "material", "number"],
                                    name="contests_version_number"),
            models.UniqueConstraint(fields=["region", "material", "sha256"],
                                    name="contests_version_bytes"),
        ]

    def __str__(self) -> str:
        return f"{self.material.title}, версия {self.number}"

    def get_download_url(self) -> str:
        return reverse("contests:version_download", args=[self.public_id])


class Assignment(models.Model):
    """A juror assigned to score one application."""

    class How(models.TextChoices):
        MANUAL = "manual", "вручную"
        AUTO = "auto", "автоматически"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="assignments", verbose_name="заявка")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name="член жюри")
    how = models.CharField("как назначен", max_length=8, choices=How.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField("назначен", auto_now_add=True)

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        ordering = ["application", "juror__methodist__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "application", "juror"],
                                    name="contests_assignment_once",
                                    violation_error_message="Этот член жюри уже назначен на "
                                                            "заявку."),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("contests:review", args=[self.public_id])


class Review(models.Model):
    """A juror's scores of one application: a draft until submitted, then immutable (only
    the nomination's chair corrects it, with a reason, audited)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлена"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT,
                                      related_name="review", verbose_name="назначение")
    status = models.CharField("статус", max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    comment = models.TextField("общий комментарий", blank=True, max_length=5000)
    submitted_at = models.DateTimeField("отправлена", null=True, blank=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="исправил председатель")
    corrected_at = models.DateTimeField("исправлена", null=True, blank=True)
    correction_reason = models.TextField("причина исправления", blank=True, max_length=2000)

    class Meta:
        verbose_name = "экспертная оценка"
        verbose_name_plural = "экспертные оценки"

    def __str__(self) -> str:
        return f"Оценка: {self.assignment}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Score(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores",
                               verbose_name="оценка")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="критерий")
    value = models.SmallIntegerField("балл")
    comment = models.TextField("комментарий", blank=True, max_length=2000)

    class Meta:
        verbose_name = "балл по критерию"
        verbose_name_plural = "баллы по критериям"
        ordering = ["review", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "review", "criterion"],
                                    name="contests_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number}: {self.value}"
