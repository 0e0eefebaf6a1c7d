from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from .models import Pair

STATUS_CHOICES = (("active", "действуют"), ("ended", "завершены"))


class PairFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=None, field_name="school__municipality",
        empty_label="все")
    status = django_filters.ChoiceFilter(label="Состояние", choices=STATUS_CHOICES,
                                         method="_status", empty_label="любое")
    q = django_filters.CharFilter(label="Поиск", method="_search")

    class Meta:
        model = Pair
        fields = ["municipality", "status"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def _status(self, queryset, name, value):
        current = Pair.current_q(timezone.localdate())
        if value == "active":
            return queryset.filter(current)
        if value == "ended":
            return queryset.exclude(current)
        return queryset

    def _search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(school__short_name__icontains=value)
                               | Q(mentor__short_name__icontains=value)
                               | Q(agreement_number__icontains=value))
