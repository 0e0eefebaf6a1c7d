from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import DomainError
from core.paging import paginate
from core.roles import Role
from core.scope import scope_of
from core.selectors import municipalities_for, regions_for, staff_region
from risk_profiles.selectors import curators_for
from roadmaps.files import stored_file_response
from schools.models import ImportBatch
from schools.selectors import school_get, schools_for
from schools.services import import_batch_create

from . import rules, services
from .filters import AssignmentFilter
from .forms import (
    AffiliationForm,
    BulkAssignForm,
    CuratorImportForm,
    EndForm,
    LogFilterForm,
    LogForm,
    OrderForm,
    ReportForm,
    SheetForm,
)
from .models import ExpertiseSheet
from .selectors import (
    active_assignments_for,
    affiliation_get,
    affiliations_for,
    assignment_get,
    board_years,
    curator_get,
    curator_loads,
    curator_report,
    is_own_queue,
    load_check,
    log_entry_get,
    log_lines,
    order_get,
    orders_for,
    profile_queue_for,
    queue_years,
    report_period,
    review_queue_for,
    review_stats_for,
    scheme_of,
    sheets_for,
    unassigned_schools,
    zone_summary,
)


def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in years else (years[0] if years else 0)


def _posted_year(request, years: list[int]) -> int:
    """The year a form was posted for; a missing or unknown one is a bad request, never
    silently the newest year."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if year not in years:
        raise SuspiciousOperation("Год программы не указан или не относится к вашему региону.")
    return year


# -- the board ----------------------------------------------------------------------------------
def _board_context(request, year: int, *, form=None, order_form=None, import_form=None):
    user = request.user
    orders = orders_for(user).filter(year=year)
    schools = list(unassigned_schools(user, year)) if year else []
    curators = curators_for(user)
    return {
        "years": board_years(user), "year": year, "unassigned": schools,
        "loads": curator_loads(user, year) if year else [],
        "check": load_check(user, year) if year else None,
        "orders": orders,
        "form": form or BulkAssignForm(orders=orders, curators=curators, schools=schools,
                                       initial={"year": year}),
        "order_form": order_form or OrderForm(),
        "import_form": import_form or CuratorImportForm(orders=orders),
        "can_manage": rules.may_manage_assignments(user),
    }


@require_GET
@login_required
def board(request):
    """Regional staff: schools without a curator, curators and their load, the load check
    (seed 000, table 3), orders, bulk assignment and the list import."""
    rules.ensure(rules.may_view_assignments(request.user))
    if not rules.may_manage_assignments(request.user):
        raise PermissionDenied("Распределение кураторов ведёт региональный координатор. "
                               "Назначения кураторов ваших школ — в разделе «Кураторы».")
    years = board_years(request.user)
    return render(request, "curators/board.html", _board_context(request, _year(request, years)))


@require_POST
@login_required
def bulk_assign(request):
    rules.ensure(rules.may_manage_assignments(request.user))
    year = _posted_year(request, board_years(request.user))
    orders = orders_for(request.user).filter(year=year)
    schools = list(unassigned_schools(request.user, year))
    form = BulkAssignForm(request.POST, orders=orders, curators=curators_for(request.user),
                          schools=schools)
    if form.is_valid():
        data = form.cleaned_data
        chosen = [s for s in schools if str(s.public_id) in set(data["schools"])]
        terms = services.AssignmentTerms(
            year=year, order=data["order"], organisation=data["organisation"],
            unit=data["unit"], starts_on=data["starts_on"], co_curator=data["co_curator"],
            accept_conflict=data["accept_conflict"])
        try:
            made = services.assignments_bulk_create(actor=request.user,
                                                    curator=data["curator"], schools=chosen,
                                                    terms=terms)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{data['curator'].short_name}: назначено школ — "
                                      f"{len(made)}.")
            return redirect(f"{reverse('curators:board')}?year={year}")
    return render(request, "curators/board.html", _board_context(request, year, form=form),
                  status=400)


@require_POST
@login_required
def assignment_end(request, public_id):
    assignment = assignment_get(request.user, public_id)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errs in form.errors.values() for e in errs))
        services.assignment_end(actor=request.user, assignment=assignment,
                                ends_on=form.cleaned_data["ends_on"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Назначение завершено: {assignment.curator.short_name} — "
                                  f"{assignment.school.short_name}.")
    return redirect(reverse("curators:curator_detail", args=[assignment.curator.public_id]))


@require_POST
@login_required
def order_create(request):
    rules.ensure(rules.may_manage_assignments(request.user))
    year = _posted_year(request, board_years(request.user))
    form = OrderForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_create(actor=request.user, region=staff_region(request.user),
                                          year=year, number=data["number"], date=data["date"],
                                          title=data["title"], upload=data["file"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Добавлен {order.label}.")
            return redirect(f"{reverse('curators:board')}?year={year}#orders")
    return render(request, "curators/board.html",
                  _board_context(request, year, order_form=form), status=400)


@require_GET
@login_required
def order_file(request, public_id):
    order = order_get(request.user, public_id)
    if not order.file:
        raise Http404("К приказу не приложен файл.")
    return stored_file_response(order.file, order.file_name, order.file_name.rsplit(".", 1)[-1])


@require_POST
@login_required
def curator_import(request):
    rules.ensure(rules.may_manage_assignments(request.user))
    year = _posted_year(request, board_years(request.user))
    orders = orders_for(request.user).filter(year=year)
    form = CuratorImportForm(request.POST, request.FILES, orders=orders)
    if form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        params = {"organisation": data["organisation"].strip()}
        if data["order"]:
            params["order"] = str(data["order"].public_id)
            params["starts_on"] = data["order"].date.isoformat()
        try:
            batch, _ = import_batch_create(
                actor=request.user, region=staff_region(request.user), year=year,
                kind=ImportBatch.Kind.CURATORS, file_name=upload.name, content=upload.read(),
                params=params)
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch)
    return render(request, "curators/board.html",
                  _board_context(request, year, import_form=form), status=400)


@require_GET
@login_required
def assignment_list(request):
    rules.ensure(rules.may_view_assignments(request.user))
    filterset = AssignmentFilter(request.GET or None,
                                 queryset=active_assignments_for(request.user))
    assignments = filterset.qs.order_by("curator__last_name", "school__short_name", "pk")
    load = (assignments.values("curator__public_id", "curator__last_name",
                               "curator__first_name", "curator__middle_name", "unit")
            .annotate(schools=Count("school", distinct=True))
            .order_by("-schools", "curator__last_name"))
    page, query = paginate(request, assignments)
    return render(request, "curators/assignment_list.html",
                  {"filter": filterset, "page": page, "query": query, "load": load})


# -- one curator ---------------------------------------------------------------------------------
def _curator_context(request, curator, *, affiliation_form=None):
    user = request.user
    region_ids = curator.memberships.filter(role=Role.CURATOR, ended_at__isnull=True) \
        .values("region_id")
    return {
        "curator": curator,
        "assignments": active_assignments_for(user).filter(curator=curator)
        .select_related("order").order_by("-year", "school__municipality__name",
                                          "school__short_name"),
        "affiliations": affiliations_for(user).filter(user=curator, ended_at__isnull=True),
        "affiliation_form": affiliation_form or AffiliationForm(
            municipalities=municipalities_for(user).filter(region_id__in=region_ids),
            schools=schools_for(user).filter(region_id__in=region_ids)
            .order_by("municipality__name", "short_name")),
        "can_declare": rules.may_declare_affiliation(user, curator),
        "can_manage": rules.may_manage_assignments(user),
        "end_form": EndForm(),
    }


@require_GET
@login_required
def curator_detail(request, public_id):
    curator = curator_get(request.user, public_id)
    rules.ensure(rules.may_view_assignments(request.user))
    return render(request, "curators/curator_detail.html", _curator_context(request, curator))


@require_POST
@login_required
def affiliation_add(request, public_id):
    curator = curator_get(request.user, public_id)
    context = _curator_context(request, curator)
    form = AffiliationForm(request.POST,
                           municipalities=context["affiliation_form"].fields["municipality"]
                           .queryset,
                           schools=context["affiliation_form"].fields["school"].queryset)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.affiliation_add(actor=request.user, user=curator,
                                     municipality=data["municipality"], school=data["school"],
                                     position=data["position"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Место работы добавлено: при назначении портал "
                                      "предупредит о конфликте интересов.")
            return redirect(reverse("curators:curator_detail", args=[curator.public_id]))
    context["affiliation_form"] = form
    return render(request, "curators/curator_detail.html", context, status=400)


@require_POST
@login_required
def affiliation_end(request, public_id):
    affiliation = affiliation_get(request.user, public_id)
    try:
        services.affiliation_end(actor=request.user, affiliation=affiliation)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Место работы снято: {affiliation.place}.")
    return redirect(reverse("curators:curator_detail", args=[affiliation.user.public_id]))


# -- the work log --------------------------------------------------------------------------------
def _log_context(request, *, form=None):
    user = request.user
    own = is_own_queue(user)
    filters = LogFilterForm(request.GET or None, curators=curators_for(user))
    data = filters.cleaned_data if filters.is_valid() else {}
    curator = user if own else data.get("curator")
    lines = log_lines(user, curator=curator, date_from=data.get("date_from"),
                      date_to=data.get("date_to"), kind=data.get("kind", ""))
    page, query = paginate(request, lines)
    can_log = rules.keeps_log(user)
    removable = {line.entry.pk for line in page.object_list
                 if line.entry and "remove" in rules.log_entry_actions(user, line.entry)}
    return {"filters": filters, "page": page, "query": query, "total": len(lines),
            "own": own, "can_log": can_log, "removable": removable,
            "form": form or (LogForm(schools=_own_schools(user)) if can_log else None)}


def _own_schools(user):
    """The schools a curator may write log entries about: its open assignments."""
    return schools_for(user).filter(
        pk__in=active_assignments_for(user).filter(curator=user).values("school_id")
    ).order_by("short_name")


@require_GET
@login_required
def log(request):
    rules.ensure(rules.may_view_log(request.user))
    return render(request, "curators/log.html", _log_context(request))


@require_POST
@login_required
def log_add(request):
    rules.ensure(rules.may_add_log_entry(request.user))
    form = LogForm(request.POST, request.FILES, schools=_own_schools(request.user))
    if form.is_valid():
        data = form.cleaned_data
        region = data["school"].region if data["school"] else _curator_region(request)
        try:
            services.worklog_add(actor=request.user, region=region, upload=data["evidence"],
                                 data=services.LogInput(
                                     date=data["date"], kind=data["kind"],
                                     minutes=data["minutes"], text=data["text"],
                                     school=data["school"]))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Запись добавлена в журнал.")
            return redirect("curators:log")
    return render(request, "curators/log.html", _log_context(request, form=form), status=400)


def _curator_region(request):
    ids = scope_of(request.user).region_ids_by_role.get(Role.CURATOR, frozenset())
    if not ids:
        raise PermissionDenied("Журнал ведут кураторы.")
    return regions_for(request.user).get(pk=min(ids))


@require_GET
@login_required
def log_evidence(request, public_id):
    entry = log_entry_get(request.user, public_id)
    if not entry.evidence:
        raise Http404("К записи не приложен файл.")
    return stored_file_response(entry.evidence, entry.evidence_name,
                                entry.evidence_name.rsplit(".", 1)[-1])


@require_POST
@login_required
def log_remove(request, public_id):
    entry = log_entry_get(request.user, public_id)
    try:
        services.worklog_remove(actor=request.user, entry=entry)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Запись от {entry.date:%d.%m.%Y} удалена из журнала.")
    return redirect("curators:log")


# -- expertise sheets ----------------------------------------------------------------------------
@require_GET
@login_required
def expertise(request):
    """The region's zones (red / yellow / green), the lowest-scoring schools and every
    sheet of the year."""
    rules.ensure(rules.may_view_sheets(request.user))
    years = sorted(set(board_years(request.user))
                   | set(sheets_for(request.user).values_list("year", flat=True).distinct()),
                   reverse=True)
    year = _year(request, years)
    sheets = sheets_for(request.user).filter(year=year).order_by("total",
                                                                 "school__short_name")
    page, query = paginate(request, sheets)
    return render(request, "curators/expertise.html", {
        "years": years, "year": year, "summary": zone_summary(request.user, year),
        "page": page, "query": query,
    })


@require_http_methods(["GET", "POST"])
@login_required
def sheet(request, school, year):
    school = school_get(request.user, school)
    sheet = sheets_for(request.user).filter(school=school, year=year).first()
    scheme = sheet.scheme if sheet else scheme_of(year)
    actions = rules.sheet_actions(request.user, sheet or ExpertiseSheet(
        region_id=school.region_id, school=school, year=year))
    can_fill = "save" in actions
    if sheet is None and not can_fill:
        raise Http404("Экспертный лист не опубликован.")
    if scheme is None:
        messages.info(request, f"Экспертный лист на {year} год не настроен.")
        return redirect(school)
    if request.method == "POST" and not can_fill:
        raise PermissionDenied("Лист опубликован или вы не можете его заполнять.")
    initial = {s.criterion_id: (s.points, s.comment) for s in sheet.scores.all()} if sheet \
        else {}
    form = SheetForm(request.POST or None, criteria=scheme.criteria.all(),
                     initial_scores=initial, initial={"comment": sheet.comment if sheet else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            publish = request.POST.get("action") == "publish"
            try:
                services.sheet_save(actor=request.user, school=school, year=year,
                                    scores=form.scores(), comment=form.cleaned_data["comment"],
                                    publish=publish)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Экспертный лист опубликован: школа видит баллы."
                                 if publish else "Черновик экспертного листа сохранён.")
                return redirect(reverse("curators:sheet", args=[school.public_id, year]))
        status = 400
    return render(request, "curators/sheet.html", {
        "school": school, "year": year, "sheet": sheet, "scheme": scheme, "form": form,
        "can_fill": can_fill, "actions": actions,
    }, status=status)


# -- the curator's report ------------------------------------------------------------------------
def _report_curator(request):
    if is_own_queue(request.user):
        return request.user
    public_id = request.GET.get("curator") or request.POST.get("curator")
    if not public_id:
        return None
    try:
        UUID(str(public_id))
    except ValueError:
        raise Http404("Куратор не найден.")
    return curator_get(request.user, public_id)


@require_GET
@login_required
def report(request):
    """«Отчет по введению кураторства» for a period: the page; the PDF is the same
    template rendered by the worker."""
    rules.ensure(rules.may_view_log(request.user))
    curator = _report_curator(request)
    data, form = None, ReportForm(request.GET if "date_from" in request.GET else None)
    if curator is not None:
        if form.is_bound:
            period = form.cleaned_data if form.is_valid() else None
        else:
            start, end = report_period(request.user, curator)
            form = ReportForm(initial={"date_from": start, "date_to": end})
            period = {"date_from": start, "date_to": end}
        if period:
            data = curator_report(request.user, curator=curator,
                                  date_from=period["date_from"], date_to=period["date_to"])
    return render(request, "curators/report.html", {
        "form": form, "curator": curator, "report": data,
        "curators": [] if is_own_queue(request.user) else curators_for(request.user),
    })


@require_POST
@login_required
def report_pdf(request):
    rules.ensure(rules.may_view_log(request.user))
    curator = _report_curator(request)
    if curator is None:
        messages.error(request, "Выберите куратора.")
        return redirect("curators:report")
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(f"{reverse('curators:report')}?curator={curator.public_id}")
    region = _report_region(request, curator)
    try:
        job = services.report_pdf_start(actor=request.user, curator=curator, region=region,
                                        date_from=form.cleaned_data["date_from"],
                                        date_to=form.cleaned_data["date_to"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('curators:report')}?curator={curator.public_id}")
    return redirect(job)


def _report_region(request, curator):
    """The curator's region among those the viewer belongs to (the job's place)."""
    ids = curator.memberships.filter(role=Role.CURATOR, ended_at__isnull=True) \
        .values_list("region_id", flat=True)
    region = regions_for(request.user).filter(pk__in=list(ids)).order_by("pk").first()
    if region is None:
        raise Http404("Куратор не работает в вашем регионе.")
    return region


# -- the review queue ----------------------------------------------------------------------------
@require_GET
@login_required
def queue(request):
    """The review queue: a curator's own, or the region's (municipality's) with the hold
    time of every curator."""
    rules.ensure(rules.may_view_queue(request.user))
    if not rules.keeps_queue(request.user):
        raise PermissionDenied("Очередь проверки ведут кураторы. Документы вашей школы и их "
                               "статусы — в чек-листе документов на главной странице.")
    years = queue_years(request.user)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = years[0] if years else 0
    items = review_queue_for(request.user, year) if year else []
    page, query = paginate(request, items)
    return render(request, "curators/queue.html", {
        "years": years, "year": year, "page": page, "query": query, "total": len(items),
        "profiles": profile_queue_for(request.user, year) if year else [],
        "stats": review_stats_for(request.user, year, queue=items) if year else [],
        "is_curator_view": is_own_queue(request.user),
    })
