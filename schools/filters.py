import django_filters
from django import forms
from django.db.models import Q

from core.filters import RussianOrderingFilter

from .models import School


class SchoolFilter(django_filters.FilterSet):
    """Filters of the school list; the municipality choices come from the user's scope."""

    q = django_filters.CharFilter(
        label="Поиск", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "название, логин или ИНН"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=None, to_field_name="public_id",
        empty_label="все муниципалитеты",
    )
    kind = django_filters.ChoiceFilter(label="Тип", choices=School.Kind.choices,
                                       empty_label="все типы")
    ordering = RussianOrderingFilter(
        label="Сортировка", text_fields=("short_name", "municipality__name"),
        fields=(("short_name", "name"), ("municipality__name", "municipality"),
                ("login", "login")),
        field_labels={"short_name": "по названию", "-short_name": "по названию (Я–А)",
                      "municipality__name": "по муниципалитету",
                      "-municipality__name": "по муниципалитету (Я–А)",
                      "login": "по логину", "-login": "по логину (убыв.)"},
        empty_label="по умолчанию",
    )

    class Meta:
        model = School
        fields = ["q", "municipality", "kind"]

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(short_name__icontains=value) | Q(full_name__icontains=value)
            | Q(login__iexact=value.lower().replace(" ", "")) | Q(inn=value)
        )
