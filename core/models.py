"""Users, the tenant hierarchy (region → municipality), role memberships, audit and jobs.

The region is the tenant. ``core`` imports no domain app: the school a membership points
at is named by ``settings.PORTAL_SCHOOL_MODEL`` (like ``AUTH_USER_MODEL``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from .roles import Role


@dataclass(frozen=True)
class ScopePath:
    """Where a tenant-owned object sits: region, and where known municipality and school."""

    region_id: int | None
    municipality_id: int | None = None
    school_id: int | None = None


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Login by username or e-mail, case-insensitively; a username match wins (both
        are unique case-insensitively, but one user's login may be another's e-mail)."""
        try:
            return self.get(username__iexact=username)
        except self.model.DoesNotExist:
            return self.get(email__iexact=username, email__gt="")


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("электронная почта", blank=True)
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=255, blank=True)
    organisation = models.CharField("организация", max_length=255, blank=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="core_user_email_unique_ci",
                violation_error_message="Пользователь с такой электронной почтой уже есть.",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="core_user_username_unique_ci",
                violation_error_message="Пользователь с таким логином уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        if self.first_name.endswith("."):  # only initials are on file: «Фамилия И.О.»
            return f"{self.last_name} {self.first_name}{self.middle_name}".strip()
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def greeting_name(self) -> str:
        """«Имя Отчество» when both are on file in full, else ``""`` — the greeting is then a
        plain «Здравствуйте!»: a greeting never says «Фамилия И.О.», nor a bare first name."""
        def full(part: str) -> bool:
            part = part.strip()
            return len(part) > 1 and not part.endswith(".")

        if full(self.first_name) and full(self.middle_name):
            return f"{self.first_name.strip()} {self.middle_name.strip()}"
        return ""

    @property
    def short_name(self) -> str:
        """«Фамилия И.О.», as Russian documents write it."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username


class Region(models.Model):
    """A subject of the Russian Federation: the tenant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.PositiveSmallIntegerField(
        "код субъекта",
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Номер субъекта РФ, например 61 — Ростовская область.",
    )
    name = models.CharField("название", max_length=255, unique=True)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.pk)


class Municipality(models.Model):
    """A municipal district or city district of a region."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities",
                               verbose_name="регион")
    name = models.CharField("название", max_length=255)
    name_key = models.CharField("ключ названия", max_length=255, editable=False)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_key"],
                name="core_municipality_unique_name_in_region",
                violation_error_message="В регионе уже есть муниципалитет с таким названием.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .text import clean_spaces, municipality_key

        self.name = clean_spaces(self.name)
        self.name_key = municipality_key(self.name)

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.pk)


class RoleMembership(models.Model):
    """One role of one user, bound to the place the role applies to.

    Created and ended only by ``core.services.membership_create/membership_end``, which also
    grant and revoke the matching guardian object rights.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name="пользователь")
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="memberships", verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="memberships",
                                     verbose_name="муниципалитет")
    school = models.ForeignKey(settings.PORTAL_SCHOOL_MODEL, on_delete=models.PROTECT,
                               null=True, blank=True, related_name="memberships",
                               verbose_name="школа")
    started_at = models.DateTimeField("начало", auto_now_add=True)
    ended_at = models.DateTimeField("окончание", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кем назначена")

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        ordering = ["user__last_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "municipality", "school"],
                condition=Q(ended_at__isnull=True),
                nulls_distinct=False,
                name="core_membership_unique_active",
                violation_error_message="У пользователя уже есть такая действующая роль.",
            )
        ]

    def __str__(self) -> str:
        place = self.school or self.municipality or self.region
        label = self.get_role_display()
        return f"{label} — {place}" if place else label

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id, self.municipality_id, self.school_id)

    def clean(self) -> None:
        level = Role.level(self.role)
        errors = {}
        if level == "national":
            if self.region_id or self.municipality_id or self.school_id:
                errors["region"] = "Эта роль действует во всех регионах: регион не указывается."
        elif level == "region":
            if not self.region_id:
                errors["region"] = "Для этой роли нужно указать регион."
            if self.municipality_id or self.school_id:
                errors["municipality"] = "Для этой роли указывается только регион."
        elif level == "municipality":
            if not self.municipality_id:
                errors["municipality"] = "Для муниципального координатора нужен муниципалитет."
            elif self.region_id and self.region_id != self.municipality.region_id:
                errors["municipality"] = "Муниципалитет относится к другому региону."
            if self.school_id:
                errors["school"] = "Для этой роли школа не указывается."
        elif level == "school":
            if self.municipality_id:
                errors["municipality"] = "Для этой роли указывается только школа."
            if not self.school_id:
                errors["school"] = "Для школьного координатора нужна школа."
            elif self.region_id and self.region_id != self.school.region_id:
                errors["school"] = "Школа относится к другому региону."
        if errors:
            raise ValidationError(errors)


class AuditEntry(models.Model):
    """Who did what, when. Written by ``core.audit.record`` only; never edited or deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("время", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="кто")
    actor_label = models.CharField("кто (на момент действия)", max_length=255, blank=True)
    action = models.CharField("действие", max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True,
                                    blank=True, verbose_name="тип объекта")
    target_id = models.CharField("объект", max_length=64, blank=True)
    target_repr = models.CharField("объект (название)", max_length=500, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="регион")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    data = models.JSONField("подробности", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    #: False for an entry that changes no data a page aggregates (a sign-in, a report asked
    #: for, a token): see core.audit.QUIET_ACTIONS. The newest entry that does is the
    #: watermark of a region's data (core.audit.watermark).
    changes_data = models.BooleanField("изменяет данные", default=True)

    class Meta:
        verbose_name = "запись журнала действий"
        verbose_name_plural = "журнал действий"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-created_at"], name="core_audit_region_time"),
            models.Index(fields=["region", "id"], condition=models.Q(changes_data=True),
                         name="core_audit_region_change"),
            models.Index(fields=["id"], condition=models.Q(changes_data=True),
                         name="core_audit_change"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action)


class Job(models.Model):
    """A long piece of work (an import, a report, an export) with visible progress.

    Created by ``core.jobs.job_start``; run by ``core.tasks.job_run_task`` in Celery.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "в очереди"
        RUNNING = "running", "выполняется"
        SUCCEEDED = "succeeded", "готово"
        FAILED = "failed", "ошибка"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("вид работы", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="регион")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="jobs", verbose_name="кто запустил")
    params = models.JSONField("параметры", default=dict, blank=True)
    status = models.CharField("состояние", max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("выполнено, %", default=0)
    message = models.CharField("сообщение", max_length=1000, blank=True)
    result_file = models.FileField("результат", upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField("имя файла результата", max_length=255, blank=True)
    result_url = models.CharField("страница результата", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    expires_at = models.DateTimeField("хранится до", null=True, blank=True)
    #: Written by the running worker every few seconds (``core.jobs``): a running job whose
    #: heartbeat stopped lost its worker or its database connection.
    heartbeat_at = models.DateTimeField("последний признак работы", null=True, blank=True)
    #: When the job's message was last sent to the broker or found waiting there.
    queued_at = models.DateTimeField("в очереди с", null=True, blank=True)

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="core_job_active",
                                condition=models.Q(status__in=("pending", "running")))]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        from .jobs import job_kind

        kind = job_kind(self.kind)
        return kind.label if kind else self.kind

    @property
    def is_restartable(self) -> bool:
        from .jobs import job_kind

        kind = job_kind(self.kind)
        return bool(kind and kind.restartable) and (
            self.status == self.Status.FAILED
            or (self.status == self.Status.SUCCEEDED and not self.result_file
                and bool(self.result_name)))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    # the state, for templates (they never compare ``status`` to a string)
    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_succeeded(self) -> bool:
        return self.status == self.Status.SUCCEEDED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def scope_path(self) -> ScopePath:
        return ScopePath(self.region_id)

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.public_id])


class NotificationChannel(models.TextChoices):
    """How a user wants one kind of notification (``NotificationPreference``)."""

    PORTAL = "portal", "только на портале"
    EMAIL = "email", "также по электронной почте"
    DIGEST = "digest", "ежедневная сводка по почте"


class Notification(models.Model):
    """An in-app message to one user («колокольчик»), mirrored by e-mail from a task.

    Written by ``core.notifications.notify`` only. Notifications are personal: a user sees
    their own and nobody else's, so the region is kept for the audit of who was told what.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name="кому")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="регион")
    title = models.CharField("заголовок", max_length=255)
    body = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    emailed_at = models.DateTimeField("отправлено письмом", null=True, blank=True)
    #: The e-mail copy is an outbox row: delivered by ``core.notifications`` from a beat
    #: task, retried later (``email_retry_at``) when the mail server refuses.
    email_attempts = models.PositiveSmallIntegerField("попыток отправить письмо", default=0)
    email_retry_at = models.DateTimeField("следующая попытка письма", null=True, blank=True)
    #: A code registered with ``core.notifications.notification_kind`` («risk_profiles.
    #: profile.returned»); its label and the user's preference are looked up by it.
    kind = models.CharField("вид уведомления", max_length=60, default="core.other")
    #: The recipient's preference for the kind when the notification was made: only
    #: ``email`` rows are letters of the outbox; ``digest`` rows go out in the daily
    #: summary (``emailed_at`` is then the summary's time); ``portal`` rows are never mailed.
    channel = models.CharField("как доставить", max_length=10,
                               choices=NotificationChannel.choices,
                               default=NotificationChannel.EMAIL)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_unread"),
                   models.Index(fields=["id"], name="core_notif_outbox",
                                condition=models.Q(emailed_at__isnull=True, channel="email")),
                   models.Index(fields=["recipient", "id"], name="core_notif_digest",
                                condition=models.Q(emailed_at__isnull=True, channel="digest"))]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """One user's choice for one kind of notification; no row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name="кто")
    kind = models.CharField("вид уведомления", max_length=60)
    channel = models.CharField("как доставить", max_length=10,
                               choices=NotificationChannel.choices)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="core_notif_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} — {self.get_channel_display()}"
