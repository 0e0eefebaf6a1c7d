"""The school's documents of a programme year and the curator's review of them.

* ``DocumentKind`` — what a school files in a year (Самодиагностика, Концепция развития,
  Среднесрочная программа, one антирисковая программа per activated risk, stage reports,
  other) with the requirements the curator checks (seed 001, «экспертиза концептуальных
  документов»). Federal and per year, like ФИОКО's catalogue of risk factors.
* ``ReturnReason`` — the coded reasons a curator picks when returning a document.
* ``Document`` — one slot of a school-year (a kind, and for anti-risk programmes the risk
  factor it answers); its status moves only through ``services.document_transition``.
* ``DocumentVersion`` — every upload: immutable (file, sha256, size, who, when, note).
* ``Review`` — the curator's decision on one version, with reasons and the hold time.
* ``Comment`` — the thread of a document; both sides reply.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Region, ScopePath
from risk_profiles.models import YEAR_VALIDATORS, RiskFactor
from schools.models import School


class DocumentKind(models.Model):
    class Mode(models.TextChoices):
        SINGLE = "single", "один документ на год"
        PER_RISK = "per_risk", "по одному на каждый активированный риск"
        MANY = "many", "сколько нужно"

    year = models.PositiveSmallIntegerField("год программы", validators=YEAR_VALIDATORS)
    code = models.SlugField("код", max_length=32)
    title = models.CharField("название", max_length=255)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    mode = models.CharField("сколько документов", max_length=10, choices=Mode.choices,
                            default=Mode.SINGLE)
    required = models.BooleanField("обязателен для каждой школы", default=True)
    description = models.TextField("пояснение для школы", blank=True)
    #: What the curator checks, one requirement per line (seed 001).
    requirements = models.TextField("требования к документу (по одному на строку)", blank=True)

    class Meta:
        verbose_name = "вид документа"
        verbose_name_plural = "виды документов"
        ordering = ["-year", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="roadmaps_kind_unique_code",
                                    violation_error_message="Вид документа с таким кодом в "
                                                            "этом году уже есть."),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.requirements.splitlines() if line.strip()]


class ReturnReason(models.Model):
    code = models.SlugField("код", max_length=32, unique=True)
    title = models.CharField("формулировка", max_length=255)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    active = models.BooleanField("предлагать кураторам", default=True)

    class Meta:
        verbose_name = "причина возврата"
        verbose_name_plural = "причины возврата"
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке"
        APPROVED = "approved", "подтверждено"
        RETURNED = "returned", "возвращено на доработку"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="documents",
                               verbose_name="школа")
    year = models.PositiveSmallIntegerField("год программы", validators=YEAR_VALIDATORS)
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="documents",
                             verbose_name="вид документа")
    risk_factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+",
                                    verbose_name="фактор риска (для антирисковой программы)")
    title = models.CharField("название", max_length=255, blank=True)
    #: One slot per kind (and per risk) for kinds that allow one document; empty for «many».
    slot = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField("статус", max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="кто создал")
    updated_at = models.DateTimeField("изменён", auto_now=True)
    version_count = models.PositiveIntegerField("версий", default=0)
    submitted_at = models.DateTimeField("отправлен на проверку", null=True, blank=True)
    reviewed_at = models.DateTimeField("решение куратора", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="куратор, принявший решение")

    class Meta:
        verbose_name = "документ школы"
        verbose_name_plural = "документы школ"
        ordering = ["-year", "kind__position", "risk_factor__position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["region", "school", "year", "slot"],
                                    condition=~Q(slot=""), name="roadmaps_document_one_per_slot",
                                    violation_error_message="Такой документ у школы на этот "
                                                            "год уже есть."),
        ]
        indexes = [models.Index(fields=["region", "status", "submitted_at"],
                                name="roadmaps_doc_queue")]
        permissions = [
            ("submit_document", "Загружать версии и отправлять документы школы на проверку"),
            ("review_document", "Подтверждать и возвращать документы школ"),
            ("comment_document", "Комментировать документы школ"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} — {self.school.short_name}, {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:document_detail", args=[self.public_id])

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.risk_factor_id:
            return f"{self.kind.title}: {self.risk_factor.code}. {self.risk_factor.title}"
        return self.kind.title

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


def version_upload_to(instance: DocumentVersion, filename: str) -> str:
    # The stored name never comes from the user: region / document / random name + the
    # extension of the detected type. The user's name is kept in ``original_name``.
    return (f"documents/{instance.region_id}/{instance.document.public_id}/"
            f"{instance.public_id}.{instance.extension}")


class DocumentVersion(models.Model):
    """One upload. Never changed after it is written: a fix is a new version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name="документ")
    number = models.PositiveIntegerField("номер версии")
    file = models.FileField("файл", upload_to=version_upload_to, max_length=255)
    original_name = models.CharField("имя файла у пользователя", max_length=255)
    extension = models.CharField("тип файла", max_length=8)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("размер, байт")
    note = models.TextField("примечание к версии", blank=True, max_length=2000)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="кто загрузил")
    uploaded_at = models.DateTimeField("загружена", auto_now_add=True)
    #: When this version went to the curator (``None`` while it stayed a draft).
    submitted_at = models.DateTimeField("отправлена на проверку", null=True, blank=True)

    class Meta:
        verbose_name = "версия документа"
        verbose_name_plural = "версии документов"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "document", "number"],
                                    name="roadmaps_version_unique_number"),
            models.UniqueConstraint(fields=["region", "document", "sha256"],
                                    name="roadmaps_version_unique_bytes"),
        ]

    def __str__(self) -> str:
        return f"{self.document.display_title}, версия {self.number}"

    @property
    def scope_path(self) -> ScopePath:
        return self.document.scope_path

    def get_download_url(self) -> str:
        return reverse("roadmaps:version_download", args=[self.public_id])


class Review(models.Model):
    """The curator's decision on one version; ``waited`` is the hold time of the version."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "подтверждено"
        RETURNED = "returned", "возвращено на доработку"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    version = models.OneToOneField(DocumentVersion, on_delete=models.PROTECT,
                                   related_name="review", verbose_name="версия")
    decision = models.CharField("решение", max_length=10, choices=Decision.choices)
    reasons = models.ManyToManyField(ReturnReason, blank=True, related_name="+",
                                     verbose_name="причины возврата")
    comment = models.TextField("комментарий куратора", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="куратор")
    decided_at = models.DateTimeField("время решения")
    waited = models.DurationField("ожидала проверки")

    class Meta:
        verbose_name = "решение куратора"
        verbose_name_plural = "решения кураторов"
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["reviewer", "decided_at"], name="roadmaps_review_by")]

    def __str__(self) -> str:
        return f"{self.version}: {self.get_decision_display()}"


class Comment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="comments",
                                 verbose_name="документ")
    #: The version the comment was written about (the current one at the time).
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="comments", verbose_name="версия")
    #: Set when the comment is the curator's decision text.
    review = models.OneToOneField(Review, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="comment_entry", verbose_name="решение")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name="автор")
    body = models.TextField("текст", max_length=4000)
    created_at = models.DateTimeField("время", auto_now_add=True)

    class Meta:
        verbose_name = "комментарий к документу"
        verbose_name_plural = "комментарии к документам"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
