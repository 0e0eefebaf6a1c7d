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
from core.text import GENDER_LABELS, agree_with, gender_of
from core.years import YEAR_VALIDATORS
from risk_profiles.models import RiskFactor
from schools.models import School


class DocumentKind(models.Model):
    class Mode(models.TextChoices):
        SINGLE = "single", "один документ на год"
        PER_RISK = "per_risk", "по одному на каждый активированный риск"
        MANY = "many", "сколько нужно"
        #: The evidence of a roadmap measure: uploaded from the measure, not the checklist.
        EVIDENCE = "evidence", "подтверждение мероприятия дорожной карты"

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
    #: The grammatical gender of the title's head noun, so that a status said of a document
    #: agrees with it («Концепция … подтверждена», «План … подтверждён»). Derived from the
    #: title with pymorphy3 when left empty; the administrator may correct it.
    gender = models.CharField("род названия (для согласования)", max_length=4, blank=True,
                              choices=[(g, label) for g, label in GENDER_LABELS.items()],
                              help_text="Оставьте пустым — род определится по названию.")

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

    def clean(self) -> None:
        if not self.gender:
            self.gender = gender_of(self.title)

    def save(self, *args, **kwargs) -> None:
        if not self.gender:
            self.gender = gender_of(self.title)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "gender"}
        super().save(*args, **kwargs)

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


#: A status or decision said of a document (masculine; agreed with the document's gender).
STATUS_SAID = {"draft": "не отправлен", "submitted": "отправлен на проверку",
               "approved": "подтверждён", "returned": "возвращён на доработку"}


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке"
        APPROVED = "approved", "подтверждено"
        RETURNED = "returned", "возвращено на доработку"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    #: Empty for the evidence of a regional or municipal roadmap item.
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="documents", verbose_name="школа")
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="муниципалитет (без школы)")
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
        owner = self.school.short_name if self.school_id else self.region.name
        return f"{self.display_title} — {owner}, {self.year}"

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
    def gender(self) -> str:
        """The grammatical gender of what this document is called (its own title, else its
        kind's) — the noun its status agrees with."""
        if self.title:
            return gender_of(self.title)
        return self.kind.gender or gender_of(self.kind.title)

    def said(self, word: str) -> str:
        """``word`` (a participle such as «подтверждён») agreed with this document."""
        return agree_with(word, self.gender)

    @property
    def status_said(self) -> str:
        """The status as said of this document: «подтверждена», «возвращён на доработку»."""
        return self.said(STATUS_SAID.get(self.status, self.get_status_display()))

    @property
    def status_label(self) -> str:
        """The status badge next to the document's name: «черновик» and «на проверке» as
        they are, a decision agreed with the document («Концепция … — подтверждена»)."""
        if self.status in (self.Status.APPROVED, self.Status.RETURNED):
            return self.status_said
        return self.get_status_display()

    @property
    def scope_path(self) -> ScopePath:
        if self.school_id is None:
            return ScopePath(self.region_id, self.municipality_id, None)
        return ScopePath(self.region_id, self.school.municipality_id, self.school_id)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED


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
        # «Концепция развития, версия 2: подтверждена», «План …, версия 1: подтверждён»
        return f"{self.version}: {self.version.document.said(STATUS_SAID[self.decision])}"

    @property
    def version_said(self) -> str:
        """The decision said of the version (a row of the version history): «подтверждена»,
        «возвращена на доработку»."""
        return agree_with(STATUS_SAID[self.decision], "femn")


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


# -- electronic roadmaps: measures with deadlines, evidence and the plan-schedule ----------------
class PlanStage(models.Model):
    """A stage of a region's plan-schedule for a programme year (seed 000: risk profile
    verified, concept documents approved, mid-term report, final report …) with its due
    date. How a school meets it is read from the portal's own data (``rule``)."""

    class Rule(models.TextChoices):
        RISK_PROFILE = "risk_profile", "риск-профиль подтверждён куратором"
        DOCUMENTS = "documents", "документы вида подтверждены куратором"
        MEASURES = "measures", "мероприятия этапа выполнены"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    year = models.PositiveSmallIntegerField("год программы", validators=YEAR_VALIDATORS)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("этап", max_length=255)
    due_on = models.DateField("срок")
    rule = models.CharField("как проверяется", max_length=16, choices=Rule.choices)
    #: For ``documents``: the code of the document kind whose documents must be approved.
    kind_code = models.SlugField("код вида документа", max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="кто создал")

    class Meta:
        verbose_name = "этап план-графика"
        verbose_name_plural = "этапы план-графика"
        ordering = ["region", "year", "due_on", "position"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"],
                                    name="roadmaps_stage_unique_title",
                                    violation_error_message="Этап с таким названием в этом "
                                                            "году уже есть."),
        ]
        permissions = [("manage_planstage", "Вести план-график региона")]

    def __str__(self) -> str:
        return f"{self.title} (до {self.due_on:%d.%m.%Y})"

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, None, None)


class Roadmap(models.Model):
    """The roadmap of a region, a municipality or a school-year: sections of items."""

    class Level(models.TextChoices):
        REGION = "region", "региональная"
        MUNICIPALITY = "municipality", "муниципальная"
        SCHOOL = "school", "школьная"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    level = models.CharField("уровень", max_length=12, choices=Level.choices)
    #: The owner municipality (for a school roadmap: the school's, kept for scoping).
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="муниципалитет")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="roadmaps", verbose_name="школа")
    title = models.CharField("название", max_length=255)
    start_year = models.PositiveSmallIntegerField("первый год", validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField("последний год", validators=YEAR_VALIDATORS)
    source = models.CharField("источник", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="кто создал")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-start_year", "level", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "school", "start_year"],
                                    condition=Q(level="school"),
                                    name="roadmaps_roadmap_one_per_school_year",
                                    violation_error_message="У школы уже есть дорожная карта "
                                                            "на этот год."),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")),
                                   name="roadmaps_roadmap_years_ordered"),
        ]
        permissions = [
            ("edit_roadmap", "Вести дорожные карты своего уровня"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:plan_detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.school_id)

    @property
    def period(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def needs_confirmation(self) -> bool:
        """A school's measures are done only when its curator confirms the evidence."""
        return self.level == self.Level.SCHOOL


class RoadmapSection(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections",
                                verbose_name="дорожная карта")
    number = models.CharField("номер", max_length=16, blank=True)
    title = models.TextField("название", max_length=2000)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "раздел дорожной карты"
        verbose_name_plural = "разделы дорожных карт"
        ordering = ["roadmap", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class RoadmapItem(models.Model):
    """One measure (мероприятие). Its deadline text is kept as written; ``due_start`` and
    ``due_end`` are parsed from it (or set by hand when the text says no date). Whether it
    is done, late or overdue is computed (``selectors.item_state``), never stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="items",
                                verbose_name="дорожная карта")
    section = models.ForeignKey(RoadmapSection, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="items", verbose_name="раздел")
    number = models.CharField("номер", max_length=16, blank=True)
    position = models.PositiveIntegerField("порядок", default=0)
    activity = models.TextField("мероприятие", max_length=4000)
    deadline_text = models.CharField("срок (как написан)", max_length=255, blank=True)
    due_start = models.DateField("начало срока", null=True, blank=True)
    due_end = models.DateField("окончание срока", null=True, blank=True)
    #: The dates were entered by hand (the text could not be read, or was corrected).
    due_manual = models.BooleanField("даты указаны вручную", default=False)
    recurring = models.BooleanField("периодическое", default=False)
    #: The separate periods of a deadline that names several («июнь, сентябрь 2021»), as
    #: ISO ``[start, end]`` pairs; empty when ``due_start``..``due_end`` is one period.
    due_periods = models.JSONField("периоды срока", default=list, blank=True)
    #: The rhythm of a recurring measure, ``deadlines.Every.code`` («1/2/week»: once in
    #: two weeks); empty when the text names none.
    recurrence = models.CharField("периодичность", max_length=24, blank=True)
    responsible = models.TextField("ответственные", max_length=2000, blank=True)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         verbose_name="ответственный пользователь портала")
    expected_result = models.TextField("ожидаемый результат", max_length=4000, blank=True)
    risk_factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="риск")
    stage = models.ForeignKey(PlanStage, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="items", verbose_name="этап план-графика")
    evidence_required = models.BooleanField("нужен подтверждающий документ", default=False)
    done_on = models.DateField("выполнено", null=True, blank=True)
    done_note = models.TextField("отметка о выполнении", max_length=4000, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name="кто отметил")
    #: The evidence: a document whose versions follow the documents' upload rules (and,
    #: for a school, the curator's approve / return).
    evidence = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="measure", verbose_name="подтверждение")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="кто добавил")
    created_at = models.DateTimeField("добавлено", auto_now_add=True)
    removed_at = models.DateTimeField("удалено", null=True, blank=True)

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожных карт"
        ordering = ["roadmap", "section__position", "position", "pk"]
        indexes = [models.Index(fields=["region", "due_end"], name="roadmaps_item_due")]

    def __str__(self) -> str:
        return f"{self.number}. {self.activity[:60]}" if self.number else self.activity[:60]

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:item_detail", args=[self.public_id])

    @property
    def scope_path(self) -> ScopePath:
        return self.roadmap.scope_path


class Reminder(models.Model):
    """A reminder sent about an item: at most one per item and day, and one per kind and
    deadline (a moved deadline is reminded again)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "срок через 7 дней"
        OVERDUE = "overdue", "просрочено"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="reminders",
                             verbose_name="мероприятие")
    day = models.DateField("день")
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    due_end = models.DateField("срок на момент напоминания")
    recipients = models.PositiveIntegerField("получателей", default=0)

    class Meta:
        verbose_name = "напоминание о сроке"
        verbose_name_plural = "напоминания о сроках"
        constraints = [
            models.UniqueConstraint(fields=["item", "day"], name="roadmaps_reminder_daily"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_kind_display()} ({self.day:%d.%m.%Y})"
