import django_filters
from django import forms
from django.db.models import Q

from .models import CuratorAssignment


class AssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Поиск", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "куратор, школа или муниципалитет"}))
    year = django_filters.NumberFilter(label="Год")

    class Meta:
        model = CuratorAssignment
        fields = ["q", "year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(curator__last_name__icontains=value) | Q(school__short_name__icontains=value)
            | Q(school__municipality__name__icontains=value)
        )
