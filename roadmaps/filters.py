"""Filters of the roadmaps' lists (django-filter): school documents, roadmaps, overdue
measures and the plan-schedule. They narrow a queryset the selector already scoped; they
never widen it. Choices (years, kinds, municipalities) come from the caller's scope."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from core.models import Municipality

from .models import Document, Roadmap, RoadmapItem

ALL = "все"


def _municipality_choices(municipalities) -> list[tuple[str, str]]:
    return [(str(m.public_id), m.name) for m in municipalities]


class DocumentFilter(django_filters.FilterSet):
    """The list of school documents."""

    q = django_filters.CharFilter(
        label="Школа", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "название или логин"}))
    year = django_filters.TypedChoiceFilter(label="Год", coerce=int, empty_value=None)
    status = django_filters.ChoiceFilter(label="Статус", choices=Document.Status.choices,
                                         empty_label=ALL)
    kind = django_filters.ChoiceFilter(label="Вид документа", field_name="kind__code",
                                       choices=(), empty_label=ALL)
    municipality = django_filters.ChoiceFilter(
        label="Муниципалитет", field_name="school__municipality__public_id", choices=(),
        empty_label=ALL)

    class Meta:
        model = Document
        fields = ["q", "year", "status", "kind", "municipality"]

    def __init__(self, data=None, *args, years, kinds, municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["year"].extra["choices"] = [("", ALL)] + [(y, y) for y in years]
        self.filters["kind"].extra["choices"] = [(c, t) for c, t in kinds]
        self.filters["municipality"].extra["choices"] = _municipality_choices(municipalities)
        if len(municipalities) <= 1:
            del self.filters["municipality"]

    @property
    def filtered(self) -> bool:
        """Whether the user narrowed the list (the year alone does not count)."""
        return bool(self.data.get("q") or self.data.get("status") or self.data.get("kind")
                    or self.data.get("municipality"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(school__short_name__icontains=value)
                               | Q(school__full_name__icontains=value)
                               | Q(school__login__iexact=value.strip()))


class RoadmapFilter(django_filters.FilterSet):
    """The list of roadmaps: by level and by a word of the title, the school or the
    municipality (a level outside the choices is ignored)."""

    level = django_filters.ChoiceFilter(label="Уровень", choices=Roadmap.Level.choices,
                                        empty_label=ALL)
    q = django_filters.CharFilter(label="Поиск", method="filter_q")

    class Meta:
        model = Roadmap
        fields = ["level", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value)
                               | Q(school__short_name__icontains=value)
                               | Q(municipality__name__icontains=value))


class OverdueForm(forms.Form):
    """What the overdue list shows: the overdue measures or those due within a week."""

    soon = forms.BooleanField(label="Срок в ближайшие 7 дней (вместо просроченных)",
                              required=False)


class OverdueFilter(django_filters.FilterSet):
    """The overdue (or soon due) measures the user can see."""

    q = django_filters.CharFilter(
        label="Поиск", method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "мероприятие или школа"}))
    level = django_filters.ChoiceFilter(label="Уровень", field_name="roadmap__level",
                                        choices=Roadmap.Level.choices, empty_label=ALL)
    municipality = django_filters.ChoiceFilter(
        label="Муниципалитет", field_name="roadmap__municipality__public_id", choices=(),
        empty_label=ALL)
    mine = django_filters.BooleanFilter(label="Только мои", method="filter_mine",
                                        widget=forms.CheckboxInput)

    class Meta:
        model = RoadmapItem
        form = OverdueForm
        fields = ["q", "level", "municipality", "mine"]

    def __init__(self, data=None, *args, user, municipalities, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["municipality"].extra["choices"] = _municipality_choices(municipalities)
        if len(municipalities) <= 1:
            del self.filters["municipality"]

    @property
    def soon(self) -> bool:
        """The measures due within a week instead of the overdue ones."""
        return self.is_valid() and self.form.cleaned_data["soon"]

    def filter_queryset(self, queryset):
        """Each filter narrows; ``soon`` is the form's field, not a filter (the view puts
        the due-window in place of the overdue test)."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(activity__icontains=value)
                               | Q(roadmap__school__short_name__icontains=value)
                               | Q(roadmap__title__icontains=value))

    def filter_mine(self, queryset, name, value):
        from .selectors.plans import mine_q

        return queryset.filter(mine_q(self.user)) if value else queryset


class ScheduleFilter(django_filters.FilterSet):
    """The plan-schedule of one municipality (or of all the user sees): narrows the user's
    municipalities (``queryset``) to the chosen one."""

    municipality = django_filters.ChoiceFilter(label="Муниципалитет", field_name="public_id",
                                               choices=(), empty_label=ALL)

    class Meta:
        model = Municipality
        fields = ["municipality"]

    def __init__(self, data=None, queryset=None, *args, **kwargs):
        super().__init__(data, queryset, *args, **kwargs)
        self.municipalities = list(self.queryset)
        self.filters["municipality"].extra["choices"] = _municipality_choices(
            self.municipalities)

    @property
    def chosen(self) -> Municipality | None:
        """The municipality chosen among the user's, else ``None``."""
        chosen = self.data.get("municipality")
        return next((m for m in self.municipalities if str(m.public_id) == chosen), None)


def document_filterset(user, data) -> DocumentFilter:
    """The documents list's filters with the user's choices (shared by the page and the
    API): the years with documents or kinds, the kinds, the municipalities in scope."""
    from core.db import ru
    from core.selectors import municipalities_for

    from .selectors import documents_for, kind_choices, kind_years

    documents = documents_for(user)
    years = sorted(set(documents.values_list("year", flat=True)) | set(kind_years()),
                   reverse=True)
    filterset = DocumentFilter(data, queryset=documents, years=years, kinds=kind_choices(),
                               municipalities=list(municipalities_for(user).order_by(
                                   ru("name"))))
    filterset.years = years
    return filterset
