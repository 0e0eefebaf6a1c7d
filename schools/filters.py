import django_filters
from django import forms
from django.db.models import Q

from core.filters import RussianOrderingFilter
from core.forms import REGION_KEY

from .models import Group, SchoolYear

FLAG_CHOICES = [("shnor", "ШНОР"), ("shssu", "ШССУ"), ("participant", "участник «500+»")]
FLAG_FIELDS = {"shnor": "is_shnor", "shssu": "is_shssu", "participant": "is_participant"}


class SchoolYearFilter(django_filters.FilterSet):
    """Filters of the registry list (one row per school and year). Choices come from the
    user's scope; a value outside it is a form error, never a leak."""

    year = django_filters.TypedChoiceFilter(label="Год", coerce=int, empty_value=None)
    region = django_filters.ModelChoiceFilter(
        label="Регион", queryset=None, to_field_name=REGION_KEY, field_name="region",
        empty_label="все регионы",
    )
    q = django_filters.CharFilter(
        label="Поиск", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "название, логин или ИНН"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=None, to_field_name="public_id",
        field_name="school__municipality", empty_label="все муниципалитеты",
    )
    flag = django_filters.ChoiceFilter(label="Признак", choices=FLAG_CHOICES,
                                       method="filter_flag", empty_label="любой")
    category = django_filters.ChoiceFilter(label="Категория", choices=(),
                                           empty_label="все категории")
    group = django_filters.ChoiceFilter(label="Группа", choices=Group.choices,
                                        empty_label="все группы")
    ordering = RussianOrderingFilter(
        label="Сортировка", text_fields=("school__short_name", "school__municipality__name"),
        fields=(("school__short_name", "name"), ("school__municipality__name", "municipality"),
                ("school__login", "login"), ("ior", "ior"), ("isb", "isb")),
        field_labels={"school__short_name": "по названию", "-name":
                      "по названию (Я–А)", "school__municipality__name": "по муниципалитету",
                      "-municipality": "по муниципалитету (Я–А)",
                      "school__login": "по логину", "-login": "по логину (убыв.)",
                      "ior": "по ИОР (возр.)", "-ior": "по ИОР (убыв.)",
                      "isb": "по ИСБ (возр.)", "-isb": "по ИСБ (убыв.)"},
        empty_label="по названию",
    )

    class Meta:
        model = SchoolYear
        fields = ["year", "region", "q", "municipality", "flag", "category", "group"]

    def __init__(self, data=None, *args, municipalities=None, years=(), categories=(),
                 regions=None, **kwargs):
        data = data.copy() if data is not None else {}
        if years and not data.get("year"):
            data["year"] = str(years[0])  # the latest year in scope by default
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = municipalities
        if regions is None or regions.count() < 2:
            del self.filters["region"]  # one region: nothing to choose
        else:
            self.filters["region"].queryset = regions
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        self.filters["category"].extra["choices"] = [(c, c) for c in categories]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(school__short_name__icontains=value) | Q(school__full_name__icontains=value)
            | Q(school__login__iexact=value.lower().replace(" ", "")) | Q(school__inn=value)
        )

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{FLAG_FIELDS[value]: True}) if value else queryset


