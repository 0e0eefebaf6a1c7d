"""Export of the filtered registry list to Excel (a job: a federal list is large)."""

from __future__ import annotations

from django.utils import timezone

from core.exceptions import DomainError
from core.jobs import JobResult, Progress
from core.models import Job, User
from core.scope import forget_scope, scope_of
from core.xlsx import book_bytes, new_book, row_append, sheet_new

from .models import Group

GROUP_LABELS = dict(Group.choices)
HEADER = ["Логин ФИС ОКО", "Полное наименование", "Краткое наименование", "Регион",
          "Муниципалитет", "ИНН", "Год", "ШНОР", "ШССУ", "Участник «500+»", "Категория", "ИОР",
          "ИСБ", "Группа"]


def filtered_school_years(user, params: dict):
    """The registry list exactly as the user filtered it (shared by the page and export)."""
    from core.selectors import municipalities_for, regions_for

    from .filters import SchoolYearFilter
    from .selectors import categories_for, school_years_for, years_for

    years = years_for(user)
    year = params.get("year")
    scope_regions = regions_for(user).filter(
        pk__in=school_years_for(user).values("region_id")) if scope_of(user).is_national \
        else regions_for(user).none()
    filterset = SchoolYearFilter(
        params, queryset=school_years_for(user), municipalities=municipalities_for(user),
        regions=scope_regions,
        years=years, categories=categories_for(user, int(year) if str(year).isdigit() else
                                               (years[0] if years else None)),
    )
    return filterset


def schools_export_run(job: Job, progress: Progress) -> JobResult:
    actor = User.objects.get(pk=job.created_by_id)
    forget_scope(actor)
    filterset = filtered_school_years(actor, job.params.get("filters", {}))
    if not filterset.is_valid():
        raise DomainError("Условия отбора неверны: выберите значения из списков заново.")
    rows = filterset.qs  # in the order the user chose on the page
    if not job.params.get("filters", {}).get("ordering"):
        from core.db import ru

        rows = rows.order_by("school__region__code", ru("school__municipality__name"),
                             ru("school__short_name"))
    total = rows.count()
    book = new_book(streaming=True)
    sheet = sheet_new(book, "Школы")
    row_append(sheet, HEADER)
    yes = {True: "да", False: "нет"}
    for done, sy in enumerate(rows.iterator(chunk_size=2000), start=1):
        school = sy.school
        row_append(sheet, [school.login, school.full_name, school.short_name, sy.region.name,
                      school.municipality.name, school.inn, sy.year, yes[sy.is_shnor],
                      yes[sy.is_shssu], yes[sy.is_participant], sy.category,
                      float(sy.ior) if sy.ior is not None else None,
                      float(sy.isb) if sy.isb is not None else None,
                      GROUP_LABELS.get(sy.group, "")])
        progress(done, total)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return JobResult(message=f"Выгружено школ: {total}.", file_name=f"schools-{stamp}.xlsx",
                     content=book_bytes(book))


