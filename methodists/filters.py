import django_filters
from django import forms
from django.db.models import Q

from core.text import name_key

from .models import Methodist


class MethodistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Поиск", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "ФИО, место работы или должность"}))
    subject = django_filters.ModelChoiceFilter(label="Предмет", queryset=None,
                                               field_name="subjects", empty_label="все")
    municipality = django_filters.ModelChoiceFilter(label="Муниципалитет", queryset=None,
                                                    to_field_name="public_id",
                                                    empty_label="все")
    status = django_filters.ChoiceFilter(label="Статус", choices=Methodist.Status.choices,
                                         empty_label="все")
    is_tutor = django_filters.BooleanFilter(
        label="Тьюторы", widget=forms.Select(choices=[("", "все"), ("true", "только тьюторы"),
                                                      ("false", "кроме тьюторов")]))

    class Meta:
        model = Methodist
        fields = ["q", "subject", "municipality", "status", "is_tutor"]

    def __init__(self, *args, municipalities, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities
        self.filters["subject"].queryset = subjects

    def filter_q(self, queryset, name, value):
        key = name_key(value)
        if not key:
            return queryset
        # name_key is stored lower-cased: the search is case-insensitive in any database
        return queryset.filter(Q(name_key__contains=key) | Q(workplace__icontains=value)
                               | Q(school__short_name__icontains=value)
                               | Q(position__icontains=value))
