"""Filters of the risk-profile list (``risk_profiles:profile_list``)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from .models import RiskProfile


class ProfileFilter(django_filters.FilterSet):
    """Year, state, municipality and a school's name or login. Choices come from the user's
    scope (the years with a catalogue or a profile, the municipalities in scope)."""

    year = django_filters.TypedChoiceFilter(label="Год", coerce=int, empty_value=None)
    status = django_filters.ChoiceFilter(label="Состояние", choices=RiskProfile.Status.choices,
                                         empty_label="любое")
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=None, to_field_name="public_id",
        field_name="school__municipality", empty_label="все")
    q = django_filters.CharFilter(label="Школа или логин", method="filter_q", max_length=100)

    class Meta:
        model = RiskProfile
        fields = ["year", "status", "municipality", "q"]

    def __init__(self, data=None, *args, years: list[int], municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["year"].extra["choices"] = [("", "все")] + [(y, str(y)) for y in years]
        self.filters["municipality"].queryset = municipalities

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(school__short_name__icontains=value)
                               | Q(school__full_name__icontains=value)
                               | Q(school__login__iexact=value.strip()))


def profile_filterset(user, data) -> ProfileFilter:
    """The profiles list's filters with the user's choices (shared by the page and the
    API): the years with a catalogue or a profile, the municipalities in scope. The rows
    carry ``activated_count``."""
    from django.db.models import Count

    from core.db import ru
    from core.selectors import municipalities_for

    from .selectors import catalogue_years, profiles_for

    years = sorted(set(catalogue_years()) | set(
        profiles_for(user).values_list("year", flat=True).distinct()), reverse=True)
    base = profiles_for(user).annotate(
        activated_count=Count("items", filter=Q(items__activated=True)))
    filterset = ProfileFilter(data, queryset=base, years=years,
                              municipalities=municipalities_for(user).order_by(ru("name")))
    filterset.years = years
    return filterset
