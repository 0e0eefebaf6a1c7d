from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.importing import importer_for
from core.jobs import job_start
from core.paging import paginate
from core.registry import resolve, school_sections
from core.roles import Role
from core.scope import scope_of
from core.selectors import jobs_for

from . import rules
from .exports import filtered_school_years
from .forms import ImportUploadForm, MappingForm, ThresholdsForm
from .models import Group
from .selectors import (
    editable_regions_for,
    import_batch_get,
    import_batches_for,
    school_get,
    school_years_for,
    thresholds_for,
)
from .services import (
    check_upload_size,
    import_apply_start,
    import_batch_create,
    import_mapping_set,
    import_recheck,
    import_territories_create,
    missing_territories,
    thresholds_set,
)


@require_GET
@login_required
def school_list(request):
    rules.ensure(rules.may_view_schools(request.user))
    filterset = filtered_school_years(request.user, request.GET)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if not request.GET.get("ordering"):
        rows = rows.order_by(ru("school__short_name"), "pk")
    page, query = paginate(request, rows)
    return render(request, "schools/school_list.html", {
        "filter": filterset, "page": page, "query": query,
        "groups": dict(Group.choices),
        "can_export": rules.may_export_schools(request.user),
        "has_years": bool(filterset.filters["year"].extra["choices"]),
    })


@require_POST
@login_required
def school_export(request):
    rules.ensure(rules.may_export_schools(request.user))
    fields = ("year", "region", "q", "municipality", "flag", "category", "group", "ordering")
    filters = {k: v for k, v in request.POST.items() if k in fields and v}
    job = job_start(actor=request.user, kind="schools.export", params={"filters": filters})
    return redirect(job)


@require_GET
@login_required
def school_detail(request, public_id):
    school = school_get(request.user, public_id)
    years = list(school_years_for(request.user).filter(school=school).order_by("-year"))
    return render(request, "schools/school_detail.html", {
        "school": school, "years": years, "groups": dict(Group.choices),
        "can_set_thresholds": rules.may_set_thresholds(request.user, school),
        "sections": resolve(school_sections(), request.user, school),
    })


# -- imports -----------------------------------------------------------------------------------
@require_GET
@login_required
def import_list(request):
    rules.ensure(rules.may_import(request.user))
    page, query = paginate(request, import_batches_for(request.user))
    return render(request, "schools/import_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@login_required
def import_new(request):
    rules.ensure(rules.may_import(request.user))
    regions = editable_regions_for(request.user)
    allow_federal = Role.ADMINISTRATOR in scope_of(request.user).roles
    form = ImportUploadForm(request.POST or None, request.FILES or None, regions=regions,
                            allow_federal=allow_federal,
                            initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # a huge file is refused by its size, before it is read into memory
            check_upload_size(upload.size)
            _, job = import_batch_create(
                actor=request.user, region=form.cleaned_data["region"],
                year=form.cleaned_data["year"], kind=form.cleaned_data["kind"],
                file_name=upload.name, content=upload.read(),
            )
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(job)
    return render(request, "schools/import_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def import_detail(request, public_id):
    batch = import_batch_get(request.user, public_id)
    if request.method == "POST":
        # «Проверить файл снова» (the form on this page, for a check that was interrupted)
        rules.ensure(rules.may_import(request.user, batch))
        return _start(request, batch, import_recheck)
    missing = missing_territories(batch)
    actions = rules.batch_actions(request.user, batch, missing)
    importer = importer_for(batch)
    mapping_form = None
    if batch.columns and not batch.is_applied:
        mapping_form = MappingForm(columns=batch.columns, mapping=batch.mapping,
                                   fields=importer.columns(batch))
    return render(request, "schools/import_detail.html", {
        "batch": batch, "actions": actions, "mapping_form": mapping_form,
        "result_template": importer.result_template,
        "confirm_message": importer.confirm_message(batch.counts or {}),
        "latest_job": jobs_for(request.user).filter(
            kind__startswith="schools.import", params__batch=str(batch.public_id)).first(),
        "list_flag": {"shnor": "shnor", "shssu": "shssu",
                      "participants": "participant"}.get(batch.kind, ""),
        "can_change": rules.may_import(request.user, batch),
        "can_skip": rules.skippable(batch),
        "check_interrupted": "recheck" in actions or (
            not rules.may_import(request.user, batch) and rules.recheck_needed(batch)),
        "missing": missing,
        "can_create_territories": "create_territories" in actions,
    })


@require_POST
@login_required
def import_mapping(request, public_id):
    batch = import_batch_get(request.user, public_id)
    rules.ensure(rules.may_import(request.user, batch))
    form = MappingForm(request.POST, columns=batch.columns, mapping=batch.mapping,
                       fields=importer_for(batch).columns(batch))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(batch)
    return _start(request, batch, import_mapping_set, mapping=form.cleaned_mapping())


def _start(request, batch, start, **kwargs):
    """Start a batch's job through its service: the job's page, or the batch page with
    the service's refusal."""
    try:
        job = start(actor=request.user, batch=batch, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(batch)
    return redirect(job)


@require_POST
@login_required
def import_apply(request, public_id):
    batch = import_batch_get(request.user, public_id)
    rules.ensure(rules.may_import(request.user, batch))
    return _start(request, batch, import_apply_start,
                  skip_invalid_rows=request.POST.get("skip_invalid_rows") == "1")


@require_POST
@login_required
def import_territories(request, public_id):
    return _start(request, import_batch_get(request.user, public_id),
                  import_territories_create)


@require_GET
@login_required
def import_file(request, public_id):
    batch = import_batch_get(request.user, public_id)
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.file_name)


@require_http_methods(["GET", "POST"])
@login_required
def thresholds(request):
    rules.ensure(rules.may_set_thresholds(request.user))
    regions = editable_regions_for(request.user)
    form = ThresholdsForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            thresholds_set(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Пороги сохранены; группы школ пересчитаны.")
            return redirect("schools:thresholds")
    return render(request, "schools/thresholds.html", {
        "form": form, "rows": thresholds_for(request.user).order_by("region__code", "-year"),
    })
