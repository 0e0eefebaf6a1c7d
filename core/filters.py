"""Filters of core's lists (django-filter). They narrow a queryset the selector already
scoped; they never widen it."""

import django_filters
from django import forms
from django.db.models import F, Q

from .audit import action_choices
from .models import AuditEntry, Job, Notification


class AuditEntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q",
                                  widget=forms.TextInput(attrs={"placeholder": "кто или объект"}))
    action = django_filters.ChoiceFilter(label="Действие", choices=action_choices,
                                         empty_label="все действия")
    date_from = django_filters.DateFilter(label="С даты", field_name="created_at",
                                          lookup_expr="date__gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label="По дату", field_name="created_at",
                                        lookup_expr="date__lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEntry
        fields = ["q", "action", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_label__icontains=value) | Q(target_repr__icontains=value)
            | Q(actor__username__icontains=value)
        )


class RussianOrderingFilter(django_filters.OrderingFilter):
    """OrderingFilter whose text fields sort with the Russian collation (``core.db.ru``).
    Descending choices are labelled by ``field_labels["-<param>"]`` or «… (по убыванию)»."""

    descending_fmt = "%s (по убыванию)"

    def __init__(self, *args, text_fields: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.text_fields = set(text_fields)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        from .db import ru

        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            name = field.lstrip("-")
            if name in self.text_fields:
                ordering.append(ru(name, descending=field.startswith("-")))
            elif field.startswith("-"):  # empty values last, whichever the direction
                ordering.append(F(name).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


class JobFilter(django_filters.FilterSet):
    """«Мои отчёты» by state; a state that is not one is ignored (all jobs shown)."""

    status = django_filters.CharFilter(method="filter_status", strip=False)

    class Meta:
        model = Job
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value in Job.Status.values else queryset


class NotificationFilter(django_filters.FilterSet):
    """The bell's list: ``unread=1`` keeps the unread notifications."""

    unread = django_filters.CharFilter(method="filter_unread", strip=False)

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=True) if value == "1" else queryset
