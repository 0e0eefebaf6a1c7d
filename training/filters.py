import django_filters
from django import forms
from django.db.models import Q

from core.text import name_key

from .models import Course, Enrolment, Route, StaffMember


def _search(fields):
    def method(self, queryset, name, value):
        key = name_key(value)
        if not key:
            return queryset
        q = Q()
        for f in fields:
            q |= Q(**{f: key if f.endswith("name_key__contains") else value})
        return queryset.filter(q)
    return method


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q", widget=forms.TextInput(
        attrs={"placeholder": "название, слушатели или организатор"}))
    form = django_filters.ChoiceFilter(label="Форма обучения", choices=Course.Form.choices,
                                       empty_label="все")

    class Meta:
        model = Course
        fields = ["q", "form"]

    filter_q = _search(["title__icontains", "audience__icontains", "provider__icontains"])


class EnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q", widget=forms.TextInput(
        attrs={"placeholder": "ФИО или школа"}))
    status = django_filters.ChoiceFilter(label="Состояние", choices=Enrolment.Status.choices,
                                         empty_label="все")

    class Meta:
        model = Enrolment
        fields = ["q", "status"]

    filter_q = _search(["staff__name_key__contains", "school__short_name__icontains",
                        "school__login__icontains"])


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q", widget=forms.TextInput(
        attrs={"placeholder": "ФИО, должность или школа"}))
    school = django_filters.ModelChoiceFilter(label="Школа", queryset=None,
                                              to_field_name="public_id", empty_label="все")
    is_active = django_filters.BooleanFilter(
        label="Работает", widget=forms.Select(choices=[("", "все"), ("true", "работают"),
                                                       ("false", "выбыли")]))

    class Meta:
        model = StaffMember
        fields = ["q", "school", "is_active"]

    filter_q = _search(["name_key__contains", "position__icontains",
                        "school__short_name__icontains"])

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools


class RouteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_q", widget=forms.TextInput(
        attrs={"placeholder": "ФИО педагога или школа"}))
    tutor = django_filters.ModelChoiceFilter(label="Тьютор", queryset=None,
                                             to_field_name="public_id", empty_label="все")
    status = django_filters.ChoiceFilter(label="Состояние", choices=Route.Status.choices,
                                         empty_label="все")
    year = django_filters.NumberFilter(label="Учебный год (начало)")

    class Meta:
        model = Route
        fields = ["q", "tutor", "status", "year"]

    filter_q = _search(["staff__name_key__contains", "school__short_name__icontains"])

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tutor"].queryset = tutors
