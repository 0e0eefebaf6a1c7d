"""Pages of the methodical pool: the list with filters and import, one record, the
subject table and the coverage of ШНОР by municipality (each with its Excel file)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.forms import form_page, form_submit
from core.paging import paginate
from core.registry import methodist_sections, resolve
from core.selectors import municipalities_for, region_pick
from core.xlsx import xlsx_response
from core.years import year_from
from schools.models import ImportBatch
from schools.services import check_upload_size, import_batch_create

from . import exports, rules
from .filters import MethodistFilter
from .forms import MethodistForm, PoolUploadForm
from .importer import split_subjects
from .models import Methodist
from .selectors import (
    methodist_get,
    methodists_for,
    pool_by_subject,
    pool_coverage,
    pool_narrowing,
    pool_years,
    subjects_all,
)
from .services import MethodistData, methodist_create, methodist_update


def _filtered(request, region):
    municipalities = municipalities_for(request.user).filter(region=region).order_by(ru("name"))
    filterset = MethodistFilter(
        request.GET,
        queryset=methodists_for(request.user).filter(region=region)
        .prefetch_related("subjects").order_by(ru("full_name"), "pk"),
        municipalities=municipalities, subjects=subjects_all())
    return filterset


@require_GET
@login_required
def methodist_list(request):
    rules.ensure(rules.may_view_pool(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    filterset = _filtered(request, region)
    page, query = paginate(request, filterset.qs)
    can_manage = rules.may_add_methodist(request.user, Methodist(region=region))
    return render(request, "methodists/list.html", {
        "filter": filterset, "page": page, "query": query, "region": region,
        "regions": regions, "can_manage": can_manage,
        "upload_form": PoolUploadForm() if can_manage else None,
        "counts": methodists_for(request.user).filter(region=region).aggregate(
            active=Count("pk", filter=Q(status=Methodist.Status.ACTIVE)),
            tutors=Count("pk", filter=Q(status=Methodist.Status.ACTIVE, is_tutor=True))),
    })


@require_GET
@login_required
def methodist_export(request):
    rules.ensure(rules.may_view_pool(request.user))
    region, _ = region_pick(request.user, request.GET.get("region"), required=True)
    filterset = _filtered(request, region)
    if not filterset.is_valid():
        raise Http404("Неверные условия отбора.")
    content = exports.pool_xlsx(filterset.qs, f"Региональный методический актив — {region.name}")
    return xlsx_response(content, f"rma-{region.code}-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
@login_required
def methodist_detail(request, public_id):
    methodist = methodist_get(request.user, public_id)
    rules.ensure(rules.may_view_pool(request.user, methodist))
    actions = rules.methodist_actions(request.user, methodist)
    return render(request, "methodists/detail.html", {
        "methodist": methodist, "subjects": methodist.subjects.order_by("name"),
        "actions": actions, "can_change": "change" in actions,
        "sections": resolve(methodist_sections(), request.user, methodist),
    })


def _form(request, region, methodist=None):
    initial = None
    if methodist is not None:
        initial = {"full_name": methodist.full_name,
                   "municipality": methodist.municipality.public_id,
                   "workplace": methodist.school.login if methodist.school_id
                   else methodist.workplace,
                   "position": methodist.position, "subjects": methodist.subjects.all(),
                   "assessed_on": methodist.assessed_on,
                   "assessment_score": methodist.assessment_score,
                   "is_tutor": methodist.is_tutor, "status": methodist.status}
    return MethodistForm(request.POST or None, initial=initial,
                         municipalities=municipalities_for(request.user).filter(region=region)
                         .order_by(ru("name")), subjects=subjects_all())


def _data(data: dict) -> MethodistData:
    return MethodistData(full_name=data["full_name"], municipality=data["municipality"],
                         subjects=list(data["subjects"]),
                         other_subjects=split_subjects(data.get("other_subjects") or ""),
                         workplace=(data.get("workplace") or "").strip(),
                         position=data["position"], assessed_on=data["assessed_on"],
                         assessment_score=data["assessment_score"],
                         is_tutor=data["is_tutor"], status=data["status"])


@require_http_methods(["GET", "POST"])
@login_required
def methodist_new(request):
    region, _ = region_pick(request.user, request.GET.get("region"), required=True)
    rules.ensure(rules.may_add_methodist(request.user, Methodist(region=region)))
    form = _form(request, region)
    return form_submit(
        request, form, lambda data: methodist_create(actor=request.user, region=region,
                                                     data=_data(data)),
        lambda m: f"Методист {m.full_name} добавлен в РМА.") or form_page(
        request, "methodists/form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
@login_required
def methodist_edit(request, public_id):
    methodist = methodist_get(request.user, public_id)
    rules.ensure(rules.may_change_methodist(request.user, methodist))
    form = _form(request, methodist.region, methodist)
    return form_submit(
        request, form, lambda data: methodist_update(actor=request.user, methodist=methodist,
                                                     data=_data(data)),
        "Изменения сохранены.") or form_page(
        request, "methodists/form.html",
        {"form": form, "region": methodist.region, "methodist": methodist})


@require_POST
@login_required
def pool_import(request):
    region, _ = region_pick(request.user, request.POST.get("region"), required=True)
    rules.ensure(rules.may_add_methodist(request.user, Methodist(region=region)))
    form = PoolUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
            batch, _ = import_batch_create(
                actor=request.user, region=region, year=timezone.localdate().year,
                kind=ImportBatch.Kind.METHODISTS, file_name=upload.name,
                content=upload.read())
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            return redirect(batch)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(f"{reverse('methodists:list')}?region={region.code}")


@require_GET
@login_required
def by_subject(request):
    rules.ensure(rules.may_view_pool(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    narrowed = pool_narrowing(request.user, region)
    rows, total, tutors = pool_by_subject(region, municipalities=narrowed)
    title = f"РМА по предметам — {region.name}"
    if narrowed is not None:
        title += ": " + ", ".join(m.name for m in narrowed)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.subjects_xlsx(rows, total, tutors, title),
                             f"rma-subjects-{region.code}.xlsx")
    return render(request, "methodists/subjects.html", {
        "rows": rows, "total": total, "tutors": tutors, "region": region, "regions": regions,
        "narrowed": narrowed, "title": title})


@require_GET
@login_required
def coverage(request):
    rules.ensure(rules.may_view_pool(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    narrowed = pool_narrowing(request.user, region)
    years = pool_years(region)
    year = year_from(request, years, strict=True,
                     missing="Нет перечня ШНОР за этот год.") or 0
    data = pool_coverage(region, year or None, municipalities=narrowed)
    title = f"Охват ШНОР методистами РМА — {region.name}" + (f", {year} г." if year else "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.coverage_xlsx(data, title),
                             f"rma-coverage-{region.code}-{year}.xlsx")
    return render(request, "methodists/coverage.html", {
        "coverage": data, "years": years, "year": year, "region": region,
        "regions": regions, "title": title, "narrowed": narrowed})
