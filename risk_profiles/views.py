from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import suppression
from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.queues import after_decision, queue_url
from core.selectors import municipalities_for, region_pick
from core.text import count_phrase, transliterate
from core.xlsx import book_bytes, new_book, row_append, sheet_new
from core.years import MAX_YEAR, MIN_YEAR, year_from
from schools.selectors import school_get

from . import charts, rules, services
from .filters import profile_filterset
from .forms import (
    CatalogueCopyForm,
    DistributionFilter,
    FactorForm,
    MatrixForm,
    ProfileCreateForm,
    ProfileItemsForm,
    TransitionForm,
)
from .models import RiskProfile
from .selectors import (
    catalogue_years,
    categories_of_year,
    curator_matrix,
    curators_for,
    factor_get,
    factors_of_year,
    profile_count_of_year,
    profile_get,
    profile_history,
    profile_items,
    profile_review_next,
    risk_distribution,
    schools_without_profile,
)

MISSING_SHOWN = 50


# -- profiles -----------------------------------------------------------------------------------
@require_GET
@login_required
def profile_list(request):
    rules.ensure(rules.may_view_profiles(request.user))
    user = request.user
    filterset = profile_filterset(user, request.GET or None)
    years, base = filterset.years, filterset.queryset
    year = years[0] if years else None
    qs = base  # a form with an error filters nothing, as before
    if filterset.is_valid():
        qs = filterset.qs
        year = filterset.form.cleaned_data["year"] or year
    qs = qs.order_by("-year", ru("school__municipality__name"), ru("school__short_name"), "pk")
    page, query = paginate(request, qs)
    missing = schools_without_profile(user, year) if year else None
    return render(request, "risk_profiles/profile_list.html", {
        "filter": filterset, "page": page, "query": query, "year": year,
        "missing": missing[:MISSING_SHOWN] if missing is not None else [],
        "missing_total": missing.count() if missing is not None else 0,
        "catalogue_ready": year in catalogue_years(),
        "can_create": rules.may_create_profile(user),
        "can_import": rules.may_import_profiles(user),
        "can_see_distribution": rules.may_view_distribution(user),
    })


@require_POST
@login_required
def profile_create(request):
    form = ProfileCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("risk_profiles:profile_list")
    school = school_get(request.user, form.cleaned_data["school"])
    try:  # the service answers 403 (PermissionDenied) to a user who may not create
        profile = services.profile_create(actor=request.user, school=school,
                                          year=form.cleaned_data["year"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("risk_profiles:profile_list")
    messages.success(request, "Риск-профиль создан: отметьте уровни и активированные риски.")
    return redirect(profile)


def _detail_context(request, profile: RiskProfile, form: ProfileItemsForm | None = None
                    ) -> dict:
    items = list(profile_items(profile))
    actions = rules.profile_actions(request.user, profile)
    return {
        "profile": profile, "items": items, "actions": actions,
        "form": form or (ProfileItemsForm(items=items) if "edit" in actions else None),
        "activated": [i for i in items if i.activated],
        "can_submit": "submit" in actions,
        "can_review": "verify" in actions,
        "can_unlock": "unlock" in actions,
        "history": [{"at": e.created_at, "label": e.action_label, "actor": e.actor_label,
                     "comment": e.data.get("comment", ""),
                     "codes": sorted(e.data.get("items") or ())}
                    for e in profile_history(profile)[:50]],
    }


@require_GET
@login_required
def profile_detail(request, public_id):
    profile = profile_get(request.user, public_id)
    return render(request, "risk_profiles/profile_detail.html",
                  _detail_context(request, profile))


@require_POST
@login_required
def profile_edit(request, public_id):
    profile = profile_get(request.user, public_id)
    rules.ensure(rules.may_change_profile(request.user, profile))
    # «Сохранить и отправить» posts the same form as «Сохранить»: what was typed is saved
    # and sent in one transaction, so nothing typed is ever lost or sent unsaved.
    submit = request.POST.get("action") == "submit"
    if submit:
        rules.ensure(rules.may_submit_profile(request.user, profile))
    form = ProfileItemsForm(request.POST, items=list(profile_items(profile)))
    if form.is_valid():
        try:
            if submit:
                services.profile_save_and_submit(actor=request.user, profile=profile,
                                                 changes=form.changes())
            else:
                services.profile_update(actor=request.user, profile=profile,
                                        changes=form.changes())
        except services.ProfileIncomplete as exc:
            for code, gaps in exc.problems.items():
                for name, message in gaps.items():
                    form.add_error(f"{code}-{name}", message)
            messages.error(request, "Профиль не отправлен и изменения не сохранены: для "
                           "каждого активированного риска укажите уровень и обоснование "
                           f"({', '.join(exc.problems)}).")
        except DomainError as exc:
            form.add_error(None, str(exc))
            messages.error(request, "Профиль не отправлен, изменения не сохранены." if submit
                           else "Изменения не сохранены.")
        else:
            messages.success(request, _DONE["submit"] if submit
                             else "Изменения риск-профиля сохранены.")
            return redirect(profile)
    else:
        messages.error(request, "Изменения не сохранены: исправьте отмеченные поля.")
    profile.refresh_from_db()
    return render(request, "risk_profiles/profile_detail.html",
                  _detail_context(request, profile, form), status=200)


_DONE = {"submit": "Риск-профиль отправлен куратору на проверку.",
         "verify": "Риск-профиль подтверждён и закрыт для изменений.",
         "return": "Риск-профиль возвращён школе на доработку с вашим комментарием.",
         "unlock": "Риск-профиль разблокирован и возвращён школе на доработку."}


@require_POST
@login_required
def profile_transition(request, public_id):
    profile = profile_get(request.user, public_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(profile)
    action = form.cleaned_data["action"]
    rules.ensure(rules.may_transition(request.user, profile, action))
    try:
        services.profile_transition(actor=request.user, profile=profile, action=action,
                                    comment=form.cleaned_data["comment"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if action in ("verify", "return"):  # a decision from the review queue: the next one
            return _next_in_queue(request, profile, _DONE[action])
        messages.success(request, _DONE[action])
    return redirect(profile)


def _next_in_queue(request, profile: RiskProfile, done: str):
    following = profile_review_next(request.user, profile)
    return after_decision(
        request, done, following,
        label=f"риск-профиль {following.school.short_name}" if following else "",
        empty_url=queue_url("risk_profiles",
                            f"{reverse('risk_profiles:profile_list')}?status=submitted",
                            year=profile.year))


# -- the region's view and the curator's matrix ---------------------------------------------------
def _distribution_form(request, years: list[int]):
    user = request.user
    # another region's (or no region's) code answers 404, as any object outside the scope
    region, regions = region_pick(user, request.GET.get("region"))
    data = QueryDict(mutable=True)
    data.update(request.GET)
    if region is not None:
        data["region"] = str(region.code)
    if not data.get("year") and years:
        data["year"] = str(years[0])
    municipalities = municipalities_for(user).order_by(ru("name"))
    if region is not None:
        municipalities = municipalities.filter(region=region)
    try:
        year = int(data.get("year") or 0)
    except ValueError:
        year = years[0] if years else 0
    return DistributionFilter(data, regions=regions, years=years, municipalities=municipalities,
                              categories=categories_of_year(user, year, region))


@require_GET
@login_required
def distribution(request):
    rules.ensure(rules.may_view_distribution(request.user))
    years = catalogue_years()
    form = _distribution_form(request, years)
    result = figure = None
    if form.is_valid():
        data = form.cleaned_data
        result = risk_distribution(request.user, year=data["year"], region=data["region"],
                                   municipality=data["municipality"],
                                   category=data["category"], status=data["status"])
        if not result.hidden and (result.profiles or result.previous_profiles):
            figure = charts.distribution_figure(result)
    return render(request, "risk_profiles/distribution.html", {
        "filter": {"form": form}, "result": result, "figure": figure,
        "has_catalogue": bool(years), "hidden_label": suppression.label(),
    })


def _matrix_form(request):
    user = request.user
    curators = curators_for(user)
    years = catalogue_years()
    data = QueryDict(mutable=True)
    data.update(request.GET)
    if not data.get("curator"):
        own = curators.filter(pk=user.pk).first() or curators.first()
        if own is not None:
            data["curator"] = str(own.public_id)
    if not data.get("year") and years:
        data["year"] = str(years[0])
    return MatrixForm(data, curators=curators, years=years)


@require_GET
@login_required
def matrix(request):
    rules.ensure(rules.may_view_matrix(request.user))
    form = _matrix_form(request)
    result = None
    if form.is_valid():
        result = curator_matrix(request.user, curator=form.cleaned_data["curator"],
                                year=form.cleaned_data["year"])
    return render(request, "risk_profiles/matrix.html", {
        "filter": {"form": form}, "matrix": result,
        "has_curators": form.fields["curator"].queryset.exists()})


@require_GET
@login_required
def matrix_export(request):
    rules.ensure(rules.may_view_matrix(request.user))
    form = _matrix_form(request)
    if not form.is_valid():
        raise Http404("Нет такого куратора или года.")
    result = curator_matrix(request.user, curator=form.cleaned_data["curator"],
                            year=form.cleaned_data["year"])
    content = _matrix_workbook(result)
    name = transliterate(result.curator.last_name) or "kurator"
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (f'attachment; filename="riski-{name}-{result.year}.xlsx"')
    return response


def _matrix_workbook(result) -> bytes:
    """The matrix in the shape of seed 000's table 2: school, municipality, category, one
    column per activated factor with '+', the school's total; a totals row at the end."""
    from openpyxl.styles import Alignment, Font

    book = new_book()
    sheet = sheet_new(book, f"Риски {result.year}")
    row_append(sheet, [f"Активированные риски школ куратора {result.curator.full_name}, "
                  f"{result.year} год"])
    sheet["A1"].font = Font(bold=True)
    header = ["Школа", "Муниципалитет", "Категория",
              *(f"{f.code}. {f.title}" for f in result.factors), "Всего рисков"]
    row_append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in result.rows:
        row_append(sheet, [row.school.short_name, row.school.municipality.name, row.category,
                      *("+" if m else "" for m in row.marks),
                      row.total if row.profile else "профиль не заполнен"])
    row_append(sheet, ["Итого", "", "", *result.factor_totals, result.total])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 26
    return book_bytes(book)


# -- the catalogue ------------------------------------------------------------------------------
@require_GET
@login_required
def catalogue(request):
    rules.ensure(rules.may_view_factors(request.user))
    years = catalogue_years()
    year = year_from(request, years) or 0
    factors = list(factors_of_year(year))
    codes = {f.code for f in factors}
    previous = list(factors_of_year(year - 1))
    following = {f.code for f in factors_of_year(year + 1)}
    return render(request, "risk_profiles/catalogue.html", {
        "years": years, "year": year, "factors": factors,
        "new_codes": codes - {f.code for f in previous} if previous else set(),
        "dropped": [f for f in previous if f.code not in codes] if factors else [],
        "following": following, "profiles_count": profile_count_of_year(year),
        "can_change": rules.may_change_factor(request.user),
        "copy_form": CatalogueCopyForm(initial={"source_year": year, "year": year + 1}),
    })


def _catalogue_url(year: int) -> str:
    return f"{reverse('risk_profiles:catalogue')}?year={year}"


@require_http_methods(["GET", "POST"])
@login_required
def factor_new(request):
    rules.ensure(rules.may_add_factor(request.user))
    form = FactorForm(request.POST or None, initial={"year": request.GET.get("year")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.factor_create(actor=request.user, year=data["year"], code=data["code"],
                                   title=data["title"], position=data["position"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Фактор {data['code'].upper()} добавлен в каталог "
                                      f"{data['year']} года.")
            return redirect(_catalogue_url(data["year"]))
    return render(request, "risk_profiles/factor_form.html", {"form": form, "factor": None})


@require_http_methods(["GET", "POST"])
@login_required
def factor_edit(request, pk: int):
    rules.ensure(rules.may_change_factor(request.user))
    factor = factor_get(pk)
    form = FactorForm(request.POST or None, instance=factor, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_update(actor=request.user, factor=factor,
                                   title=form.cleaned_data["title"],
                                   position=form.cleaned_data["position"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Фактор {factor.code} {factor.year} года изменён.")
            return redirect(_catalogue_url(factor.year))
    return render(request, "risk_profiles/factor_form.html", {"form": form, "factor": factor})


@require_POST
@login_required
def factor_delete(request, pk: int):
    rules.ensure(rules.may_delete_factor(request.user))
    factor = factor_get(pk)
    try:
        services.factor_delete(actor=request.user, factor=factor)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Фактор {factor.code} удалён из каталога {factor.year} года.")
    return redirect(_catalogue_url(factor.year))


@require_POST
@login_required
def catalogue_copy(request):
    rules.ensure(rules.may_add_factor(request.user))
    form = CatalogueCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Укажите оба года числами от {MIN_YEAR} до {MAX_YEAR}.")
        return redirect("risk_profiles:catalogue")
    try:
        factors = services.catalogue_copy(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(_catalogue_url(form.cleaned_data["source_year"]))
    messages.success(request, f"Каталог {form.cleaned_data['year']} года создан: "
                              f"{count_phrase(len(factors), 'фактор')}. Измените то, что "
                              "поменял ФИОКО.")
    return redirect(_catalogue_url(form.cleaned_data["year"]))

