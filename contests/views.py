"""Pages of the contest «Наша история успеха»: editions and their stages, nominations with
criteria and jury, applications with materials, the juror's scoring, results with places
and diplomas, the public page of winners and the bank of best practices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import permissions
from core.db import ru
from core.exceptions import DomainError
from core.files import stored_file_response
from core.forms import form_page, form_submit
from core.paging import paginate
from core.pdf import html_to_pdf
from core.roles import Role
from core.scope import scope_of
from core.selectors import region_pick
from core.xlsx import xlsx_response
from methodists.selectors import subjects_all
from risk_profiles.selectors import factors_of_year
from schools.selectors import schools_for
from training.selectors import courses_for

from . import services
from .exports import ranking_xlsx
from .forms import (
    AssignForm,
    CorrectionForm,
    CoursesForm,
    CriterionForm,
    EditionForm,
    JurorForm,
    MaterialForm,
    NewApplicationForm,
    NewEditionForm,
    NominationForm,
    RegulationForm,
    ResultForm,
    ScoreForm,
    VersionForm,
)
from .models import Application, Edition
from .selectors import (
    NOT_ASSIGNED,
    application_get,
    applications_for,
    assignment_get,
    chair_assignment_get,
    chair_reviews,
    edition_get,
    editions_for,
    juror_get,
    jurors_for,
    jury_board,
    jury_candidates,
    material_get,
    nomination_get,
    own_assignments,
    practice_get,
    practices_for,
    progress,
    published_edition,
    ranking,
    ranking_for,
    regulation_get,
    version_get,
    visible_reviews,
    winners,
)

VIEW = "contests.view_edition"
MANAGE = services.MANAGE_PERM


def _region(request):
    """The region of a page (``?region=<code>``; another region's code is a 404)."""
    region, regions = region_pick(request.user, request.GET.get("region") or
                                  request.POST.get("region"))
    if region is None:
        raise Http404("Нет региона.")
    return region, regions


def _may_manage(user, obj) -> bool:
    return permissions.has_perm(user, MANAGE, obj)


def _posted(request, form, action, success: str, back):
    """POST-only actions of a page: run the service, report, go back to the page."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        action(form.cleaned_data if form is not None else None)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(back)


# -- editions -----------------------------------------------------------------------------------
@require_GET
@login_required
def edition_list(request):
    permissions.require(request.user, VIEW)
    region, regions = _region(request)
    editions = editions_for(request.user).filter(region=region).order_by("-year")
    return render(request, "contests/edition_list.html", {
        "region": region, "regions": regions, "editions": editions,
        "can_manage": _may_manage(request.user, Edition(region=region)),
        "mine": own_assignments(request.user).exclude(review__status="submitted")
        .filter(application__edition__stage="review").count(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def edition_new(request):
    region, _ = _region(request)
    permissions.require(request.user, MANAGE, Edition(region=region))
    form = NewEditionForm(request.POST or None)
    return form_submit(
        request, form, lambda data: services.edition_create(actor=request.user, region=region,
                                                            **data),
        "Конкурс создан. Проверьте номинации и критерии, затем откройте приём заявок.") or \
        form_page(request, "contests/edition_form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
@login_required
def edition_edit(request, public_id):
    edition = edition_get(request.user, public_id)
    permissions.require(request.user, MANAGE, edition)
    form = EditionForm(request.POST or None, instance=edition, editing=True)
    return form_submit(
        request, form, lambda data: services.edition_update(actor=request.user,
                                                            edition=edition, **data),
        "Сведения о конкурсе сохранены.") or form_page(
        request, "contests/edition_form.html", {"form": form, "region": edition.region,
                                                "edition": edition})


@require_GET
@login_required
def edition_detail(request, public_id):
    edition = edition_get(request.user, public_id)
    user = request.user
    can_manage = _may_manage(user, edition)
    mine = applications_for(user).filter(edition=edition).filter(
        school_id__in=permissions_school_ids(user))
    return render(request, "contests/edition_detail.html", {
        "edition": edition, "can_manage": can_manage,
        "progress": progress(edition),
        "regulations": list(edition.regulations.all()),
        "regulation_form": RegulationForm() if can_manage else None,
        "nomination_form": NominationForm() if can_manage else None,
        "next_stage": services.NEXT_STAGE.get(edition.stage),
        "stages": _timeline(edition),
        "mine": list(mine),
        "can_apply": edition.stage == Edition.Stage.APPLICATIONS and bool(
            permissions_school_ids(user)),
        "my_reviews": list(own_assignments(user).filter(application__edition=edition)),
    })


def permissions_school_ids(user) -> list[int]:
    """Schools the user applies for (its coordinator's schools)."""
    return sorted(scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, ()))


def _timeline(edition: Edition) -> list[dict]:
    order = [s for s, _ in Edition.Stage.choices]
    current = order.index(edition.stage)
    dates = {
        Edition.Stage.DRAFT: "",
        Edition.Stage.APPLICATIONS: f"{edition.applications_open:%d.%m.%Y} — "
                                    f"{edition.applications_close:%d.%m.%Y}",
        Edition.Stage.REVIEW: f"до {edition.review_close:%d.%m.%Y}",
        Edition.Stage.RESULTS: f"{edition.results_on:%d.%m.%Y}",
        Edition.Stage.PUBLISHED: f"{edition.publication_on:%d.%m.%Y}",
    }
    return [{"label": label, "dates": dates[value], "state": "done" if i < current else
             "current" if i == current else "next"}
            for i, (value, label) in enumerate(Edition.Stage.choices)]


@require_POST
@login_required
def edition_advance(request, public_id):
    edition = edition_get(request.user, public_id)
    permissions.require(request.user, MANAGE, edition)
    expected = request.POST.get("stage", "")
    return _posted(request, None, lambda _: services.edition_advance(
        actor=request.user, edition=edition, expected=expected),
        "Конкурс переведён на следующий этап.", edition)


@require_POST
@login_required
def regulation_upload(request, public_id):
    edition = edition_get(request.user, public_id)
    permissions.require(request.user, MANAGE, edition)
    form = RegulationForm(request.POST, request.FILES)
    return _posted(request, form, lambda data: services.regulation_upload(
        actor=request.user, edition=edition, upload=data["file"]),
        "Положение о конкурсе загружено.", edition)


@require_GET
@login_required
def regulation_download(request, public_id):
    regulation = regulation_get(request.user, public_id)
    return stored_file_response(regulation.file, regulation.original_name, regulation.extension)


# -- nominations, criteria, jury -----------------------------------------------------------------
@require_POST
@login_required
def nomination_new(request, public_id):
    edition = edition_get(request.user, public_id)
    permissions.require(request.user, MANAGE, edition)
    form = NominationForm(request.POST)
    return _posted(request, form, lambda data: services.nomination_create(
        actor=request.user, edition=edition, **data),
        "Номинация добавлена с критериями по умолчанию.", edition)


@require_GET
@login_required
def nomination_detail(request, public_id):
    nomination = nomination_get(request.user, public_id)
    edition = nomination.edition
    can_manage = _may_manage(request.user, nomination)
    context = {"nomination": nomination, "edition": edition, "can_manage": can_manage,
               "criteria": list(nomination.criteria.all()),
               "jurors": list(jurors_for(request.user).filter(nomination=nomination))}
    if can_manage:
        rows, loads = jury_board(nomination)
        load_of = {j.pk: n for j, n in loads}
        for juror in context["jurors"]:
            juror.load = load_of.get(juror.pk, 0)
        eligible = {j.pk for row in rows for j in row.eligible}
        context.update({
            "rows": rows, "loads": loads,
            "spread": (max(n for _, n in loads) - min(n for _, n in loads)) if loads else 0,
            "nomination_form": NominationForm(initial={"title": nomination.title,
                                                       "is_video": nomination.is_video}),
            "criterion_form": CriterionForm(),
            "juror_form": JurorForm(candidates=jury_candidates(nomination)),
            "assign_form": AssignForm(
                applications=applications_for(request.user).filter(nomination=nomination,
                                                                   status="submitted"),
                jurors=jurors_for(request.user).filter(nomination=nomination,
                                                       pk__in=eligible)),
        })
    if edition.review_closed and (can_manage or edition.is_published):
        context["ranking"] = ranking_for(request.user, nomination)
    if services.is_chair(request.user, nomination) and edition.stage in (
            Edition.Stage.REVIEW, Edition.Stage.RESULTS):
        context["chair_rows"] = list(chair_reviews(request.user, nomination))
    return render(request, "contests/nomination_detail.html", context)


@require_POST
@login_required
def nomination_edit(request, public_id):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    return _posted(request, NominationForm(request.POST), lambda data: services.nomination_update(
        actor=request.user, nomination=nomination, **data), "Номинация сохранена.", nomination)


@require_POST
@login_required
def criterion_new(request, public_id):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    return _posted(request, CriterionForm(request.POST), lambda data: services.criterion_save(
        actor=request.user, nomination=nomination, **data), "Критерий добавлен.", nomination)


def _criterion(nomination, number: int):
    criterion = nomination.criteria.filter(number=number).first()
    if criterion is None:
        raise Http404("Критерий не найден.")
    return criterion


@require_POST
@login_required
def criterion_edit(request, public_id, number):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    criterion = _criterion(nomination, number)
    return _posted(request, CriterionForm(request.POST), lambda data: services.criterion_save(
        actor=request.user, nomination=nomination, criterion=criterion, **data),
        "Критерий сохранён.", nomination)


@require_POST
@login_required
def criterion_delete(request, public_id, number):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    criterion = _criterion(nomination, number)
    return _posted(request, None, lambda _: services.criterion_delete(
        actor=request.user, criterion=criterion), "Критерий удалён.", nomination)


@require_POST
@login_required
def juror_add(request, public_id):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    form = JurorForm(request.POST, candidates=jury_candidates(nomination))
    return _posted(request, form, lambda data: services.juror_add(
        actor=request.user, nomination=nomination, **data), "Методист включён в жюри.",
        nomination)


@require_POST
@login_required
def juror_remove(request, public_id):
    juror = juror_get(request.user, public_id)
    permissions.require(request.user, MANAGE, juror)
    return _posted(request, None, lambda _: services.juror_remove(actor=request.user,
                                                                  juror=juror),
                   "Методист исключён из жюри.", juror.nomination)


@require_POST
@login_required
def juror_chair(request, public_id):
    juror = juror_get(request.user, public_id)
    permissions.require(request.user, MANAGE, juror)
    return _posted(request, None, lambda _: services.juror_chair_set(actor=request.user,
                                                                     juror=juror),
                   f"{juror.methodist.full_name} — председатель жюри номинации.",
                   juror.nomination)


@require_POST
@login_required
def assign_auto(request, public_id):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    try:
        result = services.assignments_auto(actor=request.user, nomination=nomination)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(nomination)
    messages.success(request, f"Назначено экспертов: {result.created}.")
    for application, got in result.short:
        messages.warning(request, f"«{application.title}» ({application.school.short_name}): "
                                  f"назначено {got} из {nomination.edition.jurors_per_application}"
                                  " — не хватает членов жюри без конфликта интересов.")
    return redirect(nomination)


@require_POST
@login_required
def assign_manual(request, public_id):
    nomination = nomination_get(request.user, public_id)
    permissions.require(request.user, MANAGE, nomination)
    form = AssignForm(request.POST, applications=applications_for(request.user).filter(
        nomination=nomination), jurors=jurors_for(request.user).filter(nomination=nomination))
    return _posted(request, form, lambda data: services.assignment_create(
        actor=request.user, **data), "Член жюри назначен на заявку.", nomination)


@require_POST
@login_required
def assignment_remove(request, public_id):
    assignment = assignment_get(request.user, public_id)
    permissions.require(request.user, MANAGE, assignment.application.edition)
    return _posted(request, None, lambda _: services.assignment_remove(
        actor=request.user, assignment=assignment), "Назначение снято.",
        assignment.application.nomination)


# -- applications -------------------------------------------------------------------------------
def _application(request, public_id) -> Application:
    return application_get(request.user, public_id)


def _application_form_args(edition: Edition) -> dict:
    return {"subjects": subjects_all(), "risk_factors": factors_of_year(edition.year)}


@require_http_methods(["GET", "POST"])
@login_required
def application_new(request, public_id):
    edition = edition_get(request.user, public_id)
    schools = schools_for(request.user).filter(region=edition.region,
                                               pk__in=permissions_school_ids(request.user))
    if not schools.exists():
        raise PermissionDenied("Заявку подаёт школьный координатор.")
    form = NewApplicationForm(request.POST or None, request.FILES or None,
                              nominations=edition.nominations.all(),
                              schools=schools.order_by(ru("short_name")),
                              initial={"school": schools.first().public_id}
                              if schools.count() == 1 else None,
                              **_application_form_args(edition))

    def create(data):
        files = [(data["material_title"], data["file"])] if data.get("file") else []
        return services.application_create(
            actor=request.user, edition=edition, nomination=data["nomination"],
            school=data["school"], data=_data(data), files=files)

    return form_submit(request, form, create,
                       "Заявка подана. До окончания приёма её можно изменить или отозвать.") \
        or form_page(request, "contests/application_form.html",
                     {"form": form, "edition": edition,
                      "closed": not edition.accepts_applications_on(timezone.localdate())})


def _data(data) -> services.ApplicationData:
    return services.ApplicationData(
        title=data["title"], authors=data["authors"], description=data["description"],
        video_url=data.get("video_url") or "", subjects=tuple(data.get("subjects") or ()),
        risk_factors=tuple(data.get("risk_factors") or ()))


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request, public_id):
    application = _application(request, public_id)
    permissions.require(request.user, services.APPLY_PERM, application)
    from .forms import ApplicationForm

    form = ApplicationForm(request.POST or None, instance=application,
                           **_application_form_args(application.edition))
    return form_submit(request, form, lambda data: services.application_update(
        actor=request.user, application=application, data=_data(data)),
        "Заявка сохранена.") or form_page(request, "contests/application_form.html", {
            "form": form, "edition": application.edition, "application": application,
            "closed": not application.edition.accepts_applications_on(timezone.localdate())})


@require_GET
@login_required
def application_list(request):
    permissions.require(request.user, "contests.view_application")
    region, regions = _region(request)
    editions = list(editions_for(request.user).filter(region=region).order_by("-year"))
    try:
        year = int(request.GET.get("year") or (editions[0].year if editions else 0))
    except ValueError:
        raise Http404("Год не найден.")
    qs = applications_for(request.user).filter(region=region, edition__year=year)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(school__short_name__icontains=q)
                       | Q(authors__icontains=q))
    status = request.GET.get("status")
    if status in Application.Status.values:
        qs = qs.filter(status=status)
    page, query = paginate(request, qs.order_by("nomination__number", ru("school__short_name"),
                                                "pk"))
    return render(request, "contests/application_list.html", {
        "region": region, "regions": regions, "editions": editions, "year": year,
        "page": page, "query": query, "q": q, "status": status,
        "statuses": Application.Status.choices})


@require_GET
@login_required
def application_detail(request, public_id):
    try:
        application = _application(request, public_id)
    except Http404 as exc:
        if str(exc) == NOT_ASSIGNED:
            return render(request, "contests/not_assigned.html", {"message": NOT_ASSIGNED},
                          status=404)
        raise
    edition = application.edition
    user = request.user
    can_edit = (permissions.has_perm(user, services.APPLY_PERM, application)
                and application.is_active and edition.accepts_applications_on(
                    timezone.localdate()))
    can_manage = _may_manage(user, edition)
    materials = list(application.materials.prefetch_related("versions").order_by(
        "removed_at", "created_at"))
    reviews = visible_reviews(user, application)
    context = {
        "application": application, "edition": edition, "can_edit": can_edit,
        "can_manage": can_manage, "materials": materials, "reviews": reviews,
        "material_form": MaterialForm() if can_edit else None,
        "version_form": VersionForm() if can_edit else None,
        "assignments": list(application.assignments.select_related("juror__methodist",
                                                                    "review"))
        if can_manage else [],
        "own": own_assignments(user).filter(application=application).first(),
    }
    if can_manage and edition.stage == Edition.Stage.RESULTS and application.is_active:
        context["result_form"] = ResultForm(initial={"place": application.place,
                                                     "in_bank": application.in_bank})
    return render(request, "contests/application_detail.html", context)


@require_POST
@login_required
def application_withdraw(request, public_id):
    application = _application(request, public_id)
    permissions.require(request.user, services.APPLY_PERM, application)
    return _posted(request, None, lambda _: services.application_withdraw(
        actor=request.user, application=application), "Заявка отозвана.", application)


@require_POST
@login_required
def material_add(request, public_id):
    application = _application(request, public_id)
    permissions.require(request.user, services.APPLY_PERM, application)
    form = MaterialForm(request.POST, request.FILES)
    return _posted(request, form, lambda data: services.material_add(
        actor=request.user, application=application, title=data["title"],
        upload=data["file"]), "Материал добавлен.", application)


@require_POST
@login_required
def material_version(request, public_id):
    material = material_get(request.user, public_id)
    permissions.require(request.user, services.APPLY_PERM, material.application)
    form = VersionForm(request.POST, request.FILES)
    return _posted(request, form, lambda data: services.material_version_add(
        actor=request.user, material=material, upload=data["file"]),
        "Новая версия файла загружена; прежние сохранены.", material.application)


@require_POST
@login_required
def material_remove(request, public_id):
    material = material_get(request.user, public_id)
    permissions.require(request.user, services.APPLY_PERM, material.application)
    return _posted(request, None, lambda _: services.material_remove(
        actor=request.user, material=material),
        "Материал убран из заявки (его файлы сохранены в истории).", material.application)


@require_GET
@login_required
def version_download(request, public_id):
    version = version_get(request.user, public_id)
    return stored_file_response(version.file, version.original_name, version.extension)


# -- scoring ------------------------------------------------------------------------------------
def _initial_scores(review) -> dict:
    return {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} if review else {}


@require_GET
@login_required
def my_reviews(request):
    if Role.METHODIST not in scope_of(request.user).roles:
        raise PermissionDenied("Оценки конкурсных заявок ведут члены жюри — методисты "
                               "регионального методического актива.")
    assignments = own_assignments(request.user).order_by(
        "-application__edition__year", "application__nomination__number",
        "application__title")
    page, query = paginate(request, assignments)
    return render(request, "contests/my_reviews.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@login_required
def review(request, public_id):
    assignment = assignment_get(request.user, public_id)
    if assignment.juror.methodist.user_id != request.user.pk:
        return render(request, "contests/not_assigned.html", {"message": NOT_ASSIGNED},
                      status=404)
    application = assignment.application
    criteria = list(application.nomination.criteria.all())
    existing = getattr(assignment, "review", None)
    form = ScoreForm(request.POST or None, criteria=criteria,
                     initial_scores=_initial_scores(existing),
                     initial={"comment": existing.comment if existing else ""})
    submit = request.POST.get("action") == "submit"
    response = form_submit(request, form, lambda data: services.review_save(
        actor=request.user, assignment=assignment, values=form.values(),
        comment=data.get("comment", ""), submit=submit),
        "Оценка отправлена. Изменить её теперь может только председатель жюри." if submit
        else "Черновик оценки сохранён.", to=lambda _: assignment.get_absolute_url())
    if response:
        return response
    return form_page(request, "contests/review_form.html", {
        "form": form, "assignment": assignment, "application": application,
        "review": existing, "locked": bool(existing and existing.is_submitted)
        or application.edition.stage != Edition.Stage.REVIEW,
        "materials": application.materials.filter(removed_at__isnull=True)
        .prefetch_related("versions"),
        "others": visible_reviews(request.user, application)
        if application.edition.review_closed else []})


@require_http_methods(["GET", "POST"])
@login_required
def review_correct(request, public_id):
    assignment = chair_assignment_get(request.user, public_id)
    existing = getattr(assignment, "review", None)
    if existing is None or not existing.is_submitted:
        raise Http404("Оценка ещё не отправлена.")
    criteria = list(assignment.application.nomination.criteria.all())
    form = CorrectionForm(request.POST or None, criteria=criteria,
                          initial_scores=_initial_scores(existing))
    return form_submit(request, form, lambda data: services.review_correct(
        actor=request.user, review=existing, values=form.values(), reason=data["reason"]),
        "Оценка исправлена; исправление записано в журнал.",
        to=lambda _: assignment.application.nomination.get_absolute_url()) or form_page(
        request, "contests/correct_form.html", {"form": form, "assignment": assignment,
                                                "review": existing})


# -- results ------------------------------------------------------------------------------------
@require_POST
@login_required
def result_set(request, public_id):
    application = _application(request, public_id)
    permissions.require(request.user, MANAGE, application.edition)
    return _posted(request, ResultForm(request.POST), lambda data: services.application_result_set(
        actor=request.user, application=application, **data), "Решение сохранено.",
        request.POST.get("next") if str(request.POST.get("next", "")).startswith("/contests/")
        else application)


@require_GET
@login_required
def results_export(request, public_id):
    edition = edition_get(request.user, public_id)
    permissions.require(request.user, MANAGE, edition)
    if not edition.review_closed:
        raise Http404("Рейтинг формируется после завершения экспертизы.")
    rankings = [(n, ranking(n)) for n in edition.nominations.all()]
    return xlsx_response(ranking_xlsx(edition, rankings),
                         f"contest-{edition.region.code}-{edition.year}-results.xlsx")


@require_GET
@login_required
def diploma(request, public_id):
    application = _application(request, public_id)
    edition = application.edition
    if not application.place or not (edition.is_published or _may_manage(request.user,
                                                                         edition)):
        raise Http404("Диплом выдаётся за призовое место после подведения итогов.")
    html = render_to_string("contests/pdf/diploma.html", {"application": application,
                                                          "edition": edition})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="diploma-{edition.year}-'
                                       f'{str(application.public_id)[:8]}.pdf"')
    return response


@require_GET
def public_winners(request, region_code: int, year: int):
    """Open to everyone: the winners of a published edition."""
    edition = published_edition(region_code, year)
    return render(request, "contests/public_winners.html", {
        "edition": edition, "winners": winners(edition)})


# -- the bank of best practices -----------------------------------------------------------------
@require_GET
@login_required
def bank(request):
    permissions.require(request.user, VIEW)
    region, regions = _region(request)
    qs = practices_for(request.user).filter(region=region)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(school__short_name__icontains=q))
    nomination = (request.GET.get("nomination") or "").strip()
    if nomination:
        qs = qs.filter(nomination__title=nomination)
    factor = (request.GET.get("factor") or "").strip()
    if factor:
        qs = qs.filter(risk_factors__code=factor)
    subject = (request.GET.get("subject") or "").strip()
    if subject:
        qs = qs.filter(subjects__name=subject)
    all_practices = practices_for(request.user).filter(region=region)
    page, query = paginate(request, qs.distinct().order_by("-edition__year",
                                                           "nomination__number", "place"))
    return render(request, "contests/bank.html", {
        "region": region, "regions": regions, "page": page, "query": query, "q": q,
        "nomination": nomination, "factor": factor, "subject": subject,
        "nominations": sorted(set(all_practices.values_list("nomination__title", flat=True))),
        "factors": sorted(set(all_practices.exclude(risk_factors=None).values_list(
            "risk_factors__code", "risk_factors__title"))),
        "subjects": sorted(set(all_practices.exclude(subjects=None).values_list(
            "subjects__name", flat=True))),
    })


@require_http_methods(["GET", "POST"])
@login_required
def practice(request, public_id):
    application = practice_get(request.user, public_id)
    can_manage = _may_manage(request.user, application.edition)
    form = None
    if can_manage:
        form = CoursesForm(request.POST or None, courses=courses_for(request.user).filter(
            region=application.region).order_by(ru("title")),
            initial={"courses": [c.public_id for c in application.courses.all()]})
        response = form_submit(request, form, lambda data: services.practice_courses_set(
            actor=request.user, application=application, courses=data["courses"]),
            "Курсы практики сохранены.", to=lambda _: request.path)
        if response:
            return response
    elif request.method == "POST":
        raise PermissionDenied("Недостаточно прав для этого действия.")
    return render(request, "contests/practice.html", {
        "application": application, "form": form,
        "materials": application.materials.filter(removed_at__isnull=True)
        .prefetch_related("versions"),
        "courses": courses_for(request.user).filter(pk__in=application.courses.all())},
        status=400 if form is not None and form.errors else 200)
