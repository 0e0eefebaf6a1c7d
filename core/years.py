"""The programme year: one range, its validators and how a page reads a year from a request.

A programme year is the calendar year a list, a risk profile, a roadmap or an engagement
rule belongs to (a school year is named by its first year). The programme began in 2021; a
region's earlier plans (the complex plan of 2020–2023) start a year before, so the range is
2019..2100 everywhere.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404

MIN_YEAR, MAX_YEAR = 2019, 2100

YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]

OUT_OF_RANGE = f"Укажите год числом от {MIN_YEAR} до {MAX_YEAR}."


def is_programme_year(year) -> bool:
    return isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR


def year_field(label: str = "Год", **kwargs) -> forms.IntegerField:
    """A form field for a programme year with the range and a Russian message."""
    messages = {"min_value": OUT_OF_RANGE, "max_value": OUT_OF_RANGE,
                "invalid": OUT_OF_RANGE, **kwargs.pop("error_messages", {})}
    return forms.IntegerField(label=label, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              error_messages=messages, **kwargs)


_LATEST = object()


def year_from(request, years, *, param: str = "year", default=_LATEST,
              strict: bool = False, missing: str = "Нет данных за этот год.") -> int | None:
    """The year a page shows, read from ``request.GET[param]``.

    ``years`` are the years that have data, newest first. No value (or one that is not a
    number) gives ``default`` — by default the newest of ``years`` (None without years).
    With ``strict`` a number not among ``years`` answers 404 with ``missing``; without it
    the number is returned as it is (a page may show an empty year).
    """
    years = list(years)
    fallback = (years[0] if years else None) if default is _LATEST else default
    raw = (request.GET.get(param) or "").strip()
    if not raw:
        return fallback
    try:
        year = int(raw)
    except ValueError:
        return fallback
    if strict and years and year not in years:
        raise Http404(missing)
    return year
