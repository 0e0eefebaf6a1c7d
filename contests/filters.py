"""Filters of the contest's lists: the applications of an edition and the bank of
practices (the choices on the page come from the view)."""

import django_filters
from django.db.models import Q

from .models import Application


def _search(*fields):
    def method(self, queryset, name, value):
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)
    return method


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q")
    status = django_filters.ChoiceFilter(label="Статус", choices=Application.Status.choices,
                                         empty_label="все")

    class Meta:
        model = Application
        fields = ["q", "status"]

    filter_q = _search("title", "school__short_name", "authors")


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q")
    nomination = django_filters.CharFilter(label="Номинация", field_name="nomination__title")
    factor = django_filters.CharFilter(label="Фактор риска", field_name="risk_factors__code")
    subject = django_filters.CharFilter(label="Предмет", field_name="subjects__name")

    class Meta:
        model = Application
        fields = ["q", "nomination", "factor", "subject"]

    filter_q = _search("title", "description", "school__short_name")
