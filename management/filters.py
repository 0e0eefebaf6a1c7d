from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import Recommendation


class RecommendationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Состояние", choices=Recommendation.Status.choices,
                                         empty_label="любое")
    overdue = django_filters.BooleanFilter(
        label="Срок", method="_overdue",
        widget=forms.Select(choices=[("", "любой"), ("true", "просрочены")]))
    q = django_filters.CharFilter(label="Поиск", method="_search")

    class Meta:
        model = Recommendation
        fields = ["status"]

    def _overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(due_on__lt=timezone.localdate()).filter(
            status__in=(Recommendation.Status.ISSUED, Recommendation.Status.ACKNOWLEDGED))

    def _search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(text__icontains=value) | Q(school__short_name__icontains=value)
                               | Q(municipality__name__icontains=value))
