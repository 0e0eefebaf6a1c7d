"""Applications: a school's application with its materials (new, edit, withdraw, files),
the list of an edition's applications and the application's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.files import stored_file_response
from core.forms import form_page, form_submit
from core.paging import paginate
from schools.selectors import schools_for

from .. import rules, services
from ..filters import ApplicationFilter
from ..forms import ApplicationForm, MaterialForm, NewApplicationForm, ResultForm, VersionForm
from ..models import Application
from ..selectors import (
    NOT_ASSIGNED,
    applications_for,
    edition_get,
    editions_for,
    material_get,
    own_assignments,
    version_get,
    visible_reviews,
)
from .common import application_data, application_form_args, application_of, posted, region_of


@require_http_methods(["GET", "POST"])
@login_required
def application_new(request, public_id):
    edition = edition_get(request.user, public_id)
    schools = schools_for(request.user).filter(region=edition.region,
                                               pk__in=rules.applicant_school_ids(request.user))
    if not schools.exists():
        raise PermissionDenied("Заявку подаёт школьный координатор.")
    form = NewApplicationForm(request.POST or None, request.FILES or None,
                              nominations=edition.nominations.all(),
                              schools=schools.order_by(ru("short_name")),
                              initial={"school": schools.first().public_id}
                              if schools.count() == 1 else None,
                              **application_form_args(edition))

    def create(data):
        files = [(data["material_title"], data["file"])] if data.get("file") else []
        return services.application_create(
            actor=request.user, edition=edition, nomination=data["nomination"],
            school=data["school"], data=application_data(data), files=files)

    return form_submit(request, form, create,
                       "Заявка подана. До окончания приёма её можно изменить или отозвать.") \
        or form_page(request, "contests/application_form.html",
                     {"form": form, "edition": edition,
                      "closed": not edition.accepts_applications_on(timezone.localdate())})


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request, public_id):
    application = application_of(request, public_id)
    rules.ensure(rules.may_apply(request.user, application))
    form = ApplicationForm(request.POST or None, instance=application,
                           **application_form_args(application.edition))
    return form_submit(request, form, lambda data: services.application_update(
        actor=request.user, application=application, data=application_data(data)),
        "Заявка сохранена.") or form_page(request, "contests/application_form.html", {
            "form": form, "edition": application.edition, "application": application,
            "closed": not application.edition.accepts_applications_on(timezone.localdate())})


def _year(request, editions) -> int:
    try:
        return int(request.GET.get("year") or (editions[0].year if editions else 0))
    except ValueError:
        raise Http404("Год не найден.")


@require_GET
@login_required
def application_list(request):
    rules.ensure(rules.may_view_applications(request.user))
    region, regions = region_of(request)
    editions = list(editions_for(request.user).filter(region=region).order_by("-year"))
    year = _year(request, editions)
    filterset = ApplicationFilter(request.GET, queryset=applications_for(request.user).filter(
        region=region, edition__year=year))
    page, query = paginate(request, filterset.qs.order_by(
        "nomination__number", ru("school__short_name"), "pk"))
    return render(request, "contests/application_list.html", {
        "region": region, "regions": regions, "editions": editions, "year": year,
        "page": page, "query": query, "filter": filterset,
        "q": (filterset.data.get("q") or "").strip(), "status": filterset.data.get("status"),
        "statuses": Application.Status.choices})


def _not_assigned(request):
    return render(request, "contests/not_assigned.html", {"message": NOT_ASSIGNED}, status=404)


@require_GET
@login_required
def application_detail(request, public_id):
    try:
        application = application_of(request, public_id)
    except Http404 as exc:
        if str(exc) == NOT_ASSIGNED:
            return _not_assigned(request)
        raise
    edition = application.edition
    user = request.user
    actions = rules.application_actions(user, application)
    can_edit = "edit" in actions
    can_manage = rules.may_manage(user, edition)
    materials = list(application.materials.prefetch_related("versions").order_by(
        "removed_at", "created_at"))
    context = {
        "application": application, "edition": edition, "actions": actions,
        "can_edit": can_edit, "can_manage": can_manage, "materials": materials,
        "reviews": visible_reviews(user, application),
        "material_form": MaterialForm() if can_edit else None,
        "version_form": VersionForm() if can_edit else None,
        "assignments": list(application.assignments.select_related("juror__methodist",
                                                                    "review"))
        if can_manage else [],
        "own": own_assignments(user).filter(application=application).first(),
    }
    if "award" in actions:
        context["result_form"] = ResultForm(initial={"place": application.place,
                                                     "in_bank": application.in_bank})
    return render(request, "contests/application_detail.html", context)


@require_POST
@login_required
def application_withdraw(request, public_id):
    application = application_of(request, public_id)
    rules.ensure(rules.may_apply(request.user, application))
    return posted(request, None, lambda _: services.application_withdraw(
        actor=request.user, application=application), "Заявка отозвана.", application)


@require_POST
@login_required
def material_add(request, public_id):
    application = application_of(request, public_id)
    rules.ensure(rules.may_apply(request.user, application))
    form = MaterialForm(request.POST, request.FILES)
    return posted(request, form, lambda data: services.material_add(
        actor=request.user, application=application, title=data["title"],
        upload=data["file"]), "Материал добавлен.", application)


@require_POST
@login_required
def material_version(request, public_id):
    material = material_get(request.user, public_id)
    rules.ensure(rules.may_apply(request.user, material.application))
    form = VersionForm(request.POST, request.FILES)
    return posted(request, form, lambda data: services.material_version_add(
        actor=request.user, material=material, upload=data["file"]),
        "Новая версия файла загружена; прежние сохранены.", material.application)


@require_POST
@login_required
def material_remove(request, public_id):
    material = material_get(request.user, public_id)
    rules.ensure(rules.may_apply(request.user, material.application))
    return posted(request, None, lambda _: services.material_remove(
        actor=request.user, material=material),
        "Материал убран из заявки (его файлы сохранены в истории).", material.application)


@require_GET
@login_required
def version_download(request, public_id):
    version = version_get(request.user, public_id)
    return stored_file_response(version.file, version.original_name, version.extension)
