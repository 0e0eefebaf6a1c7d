"""Pages of training: the course catalogue and runs (enrolment one by one or from Excel,
completion), staff records of schools, coverage of ШНОР staff, individual routes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.forms import form_page, form_submit
from core.paging import paginate
from core.registry import course_sections, resolve
from core.selectors import region_pick
from core.text import said_of
from core.xlsx import xlsx_response
from core.years import year_from
from methodists.selectors import (
    active_tutors_for,
    methodists_for,
    subjects_all,
)
from schools.models import ImportBatch
from schools.selectors import school_get
from schools.services import check_upload_size, import_batch_create

from . import exports, rules, services
from .filters import CourseFilter, EnrolmentFilter, RouteFilter, StaffFilter
from .forms import (
    CompleteForm,
    CourseForm,
    DeficitForm,
    DoneForm,
    EnrolForm,
    EnrolmentForm,
    NoteForm,
    RouteForm,
    RunForm,
    StaffForm,
    StepForm,
    TutorForm,
    UploadForm,
)
from .models import Course, StaffMember
from .selectors import (
    course_get,
    course_table,
    courses_for,
    coverage,
    coverage_narrowing,
    coverage_years,
    enrolment_get,
    enrolments_for,
    route_get,
    route_progress,
    routes_for,
    routes_with_progress,
    run_counts,
    run_get,
    runs_for,
    runs_with_counts,
    staff_for,
    staff_get,
    staff_schools_for,
)


# -- courses ------------------------------------------------------------------------------------
@require_GET
@login_required
def course_list(request):
    rules.ensure(rules.may_view_courses(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    filterset = CourseFilter(request.GET or None, queryset=courses_for(request.user)
                             .filter(region=region).order_by(ru("title"), "pk"))
    page, query = paginate(request, filterset.qs)
    return render(request, "training/course_list.html", {
        "filter": filterset, "page": page, "query": query, "region": region,
        "regions": regions,
        "can_manage": rules.may_manage_course(request.user, Course(region=region)),
        "upcoming": runs_for(request.user).filter(region=region).order_by("-starts_on")[:10],
    })


@require_http_methods(["GET", "POST"])
@login_required
def course_new(request):
    region, _ = region_pick(request.user, request.GET.get("region") or
                            request.POST.get("region"), required=True)
    rules.ensure(rules.may_manage_course(request.user, Course(region=region)))
    form = CourseForm(request.POST or None)
    return form_submit(
        request, form, lambda data: services.course_create(actor=request.user, region=region,
                                                           **data),
        "Курс добавлен. Теперь создайте поток с датами обучения.") or form_page(
        request, "training/course_form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
@login_required
def course_edit(request, public_id):
    course = course_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, course))
    initial = {f: getattr(course, f) for f in ("title", "audience", "hours", "form",
                                               "provider", "description")}
    form = CourseForm(request.POST or None, initial=initial)
    return form_submit(
        request, form, lambda data: services.course_update(actor=request.user, course=course,
                                                           **data),
        "Изменения сохранены.") or form_page(
        request, "training/course_form.html",
        {"form": form, "region": course.region, "course": course})


@require_GET
@login_required
def course_detail(request, public_id):
    course = course_get(request.user, public_id)
    # the catalogue is the region's: any member who reads courses reads this one
    rules.ensure(rules.may_view_courses(request.user))
    runs = list(runs_with_counts(runs_for(request.user).filter(course=course))
                .order_by("-starts_on"))
    years = sorted({r.year for r in runs}, reverse=True)
    year = year_from(request, years, default=None, strict=True,
                     missing="У курса нет потоков этого года.")
    table, total = course_table(course, year=year)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.course_table_xlsx(course, year, table, total),
                             f"course-{str(course.public_id)[:8]}-{year or 'all'}.xlsx")
    can_manage = rules.may_manage_course(request.user, course)
    return render(request, "training/course_detail.html", {
        "course": course, "runs": runs, "years": years, "year": year, "table": table,
        "total": total, "can_manage": can_manage,
        "run_form": RunForm() if can_manage else None,
        "sections": resolve(course_sections(), request.user, course),
    })


@require_POST
@login_required
def run_new(request, public_id):
    course = course_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, course))
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.run_create(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Поток создан: {run.period}.")
            return redirect(run)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(course)


# -- runs ---------------------------------------------------------------------------------------
def _run_enrolments(request, run):
    return EnrolmentFilter(request.GET, queryset=enrolments_for(request.user)
                           .filter(run=run).order_by(ru("staff__full_name"), "pk"))


def _run_context(request, run, **forms):
    can_manage = rules.may_manage_course(request.user, run)
    filterset = _run_enrolments(request, run)
    page, query = paginate(request, filterset.qs)
    context = {"run": run, "course": run.course, "filter": filterset, "page": page,
               "query": query, "counts": run_counts(run), "can_manage": can_manage,
               "sees_people": rules.may_view_staff(request.user)}
    if can_manage:
        staff = (staff_for(request.user).filter(region=run.region, is_active=True)
                 .exclude(enrolments__run=run).order_by(ru("full_name")))
        context.update({
            "enrol_form": forms.get("enrol_form") or EnrolForm(staff=staff,
                                                               subjects=subjects_all()),
            "upload_form": forms.get("upload_form") or UploadForm(),
            "complete_form": forms.get("complete_form") or CompleteForm(
                enrolments=[e for e in page.object_list if e.is_enrolled]),
            "run_form": RunForm(initial={"label": run.label, "starts_on": run.starts_on,
                                         "ends_on": run.ends_on, "capacity": run.capacity}),
        })
    return context


@require_GET
@login_required
def run_detail(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_view_courses(request.user))
    return render(request, "training/run_detail.html", _run_context(request, run))


@require_GET
@login_required
def run_export(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_view_staff(request.user))
    filterset = _run_enrolments(request, run)
    if not filterset.is_valid():
        raise Http404("Неверные условия отбора.")
    return xlsx_response(exports.run_xlsx(run, filterset.qs),
                         f"run-{run.starts_on:%Y%m%d}-{str(run.public_id)[:8]}.xlsx")


@require_POST
@login_required
def run_edit(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, run))
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            services.run_update(actor=request.user, run=run, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Даты потока сохранены.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(run)


@require_POST
@login_required
def run_enrol(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, run))
    form = EnrolForm(request.POST, staff=staff_for(request.user).filter(region=run.region),
                     subjects=subjects_all())
    if form.is_valid():
        try:
            services.enrolment_create(actor=request.user, run=run,
                                      member=form.cleaned_data["staff"],
                                      subject=form.cleaned_data["subject"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            name = form.cleaned_data["staff"].full_name
            messages.success(request, f"{name} {said_of(name, 'записан')} на поток.")
            return redirect(run)
    return render(request, "training/run_detail.html",
                  _run_context(request, run, enrol_form=form), status=400)


@require_POST
@login_required
def run_import(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, run))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
            batch, _ = import_batch_create(
                actor=request.user, region=run.region, year=run.year,
                kind=ImportBatch.Kind.ENROLMENTS, file_name=upload.name,
                content=upload.read(), params={"run": str(run.public_id)})
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch)
    return render(request, "training/run_detail.html",
                  _run_context(request, run, upload_form=form), status=400)


@require_POST
@login_required
def run_complete(request, public_id):
    run = run_get(request.user, public_id)
    rules.ensure(rules.may_manage_course(request.user, run))
    candidates = list(enrolments_for(request.user).filter(run=run))
    form = CompleteForm(request.POST, enrolments=candidates)
    if form.is_valid():
        chosen = set(form.cleaned_data["enrolments"])
        try:
            count = services.enrolments_complete(
                actor=request.user, run=run,
                enrolments=[e for e in candidates if str(e.public_id) in chosen],
                completed_on=form.cleaned_data["completed_on"],
                result=form.cleaned_data["result"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Завершение отмечено: слушателей — {count}.")
            return redirect(run)
    return render(request, "training/run_detail.html",
                  _run_context(request, run, complete_form=form), status=400)


@require_http_methods(["GET", "POST"])
@login_required
def enrolment_edit(request, public_id):
    enrolment = enrolment_get(request.user, public_id)
    actions = rules.enrolment_actions(request.user, enrolment)
    rules.ensure("edit" in actions)
    form = EnrolmentForm(request.POST or None, subjects=subjects_all(), initial={
        "status": enrolment.status, "completed_on": enrolment.completed_on,
        "result": enrolment.result, "certificate_number": enrolment.certificate_number,
        "subject": enrolment.subject})
    return form_submit(
        request, form, lambda data: services.enrolment_update(
            actor=request.user, enrolment=enrolment, **data),
        "Сведения об обучении сохранены.", to=lambda e: e.run) or form_page(
        request, "training/enrolment_form.html",
        {"form": form, "enrolment": enrolment, "actions": actions})


# -- staff records ------------------------------------------------------------------------------
@require_GET
@login_required
def staff_list(request):
    rules.ensure(rules.may_view_staff(request.user))
    schools = staff_schools_for(request.user).order_by(ru("short_name"))
    filterset = StaffFilter(request.GET or None, schools=schools,
                            queryset=staff_for(request.user).prefetch_related("subjects")
                            .order_by(ru("school__short_name"), ru("full_name"), "pk"))
    page, query = paginate(request, filterset.qs)
    return render(request, "training/staff_list.html", {
        "filter": filterset, "page": page, "query": query,
        "can_add": rules.may_manage_staff(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def staff_new(request, school_id):
    school = school_get(request.user, school_id)
    member = StaffMember(school=school, region_id=school.region_id)
    rules.ensure(rules.may_manage_staff(request.user, member))
    form = StaffForm(request.POST or None, subjects=subjects_all())
    return form_submit(
        request, form, lambda data: services.staff_create(
            actor=request.user, school=school, full_name=data["full_name"],
            position=data["position"], subjects=list(data["subjects"])),
        lambda m: f"{m.full_name} {said_of(m.full_name, 'добавлен')} в кадровый список школы.",
        to=lambda m: school) or form_page(
        request, "training/staff_form.html", {"form": form, "school": school})


@require_http_methods(["GET", "POST"])
@login_required
def staff_edit(request, public_id):
    member = staff_get(request.user, public_id)
    rules.ensure(rules.may_manage_staff(request.user, member))
    form = StaffForm(request.POST or None, subjects=subjects_all(), initial={
        "full_name": member.full_name, "position": member.position,
        "subjects": member.subjects.all(), "is_active": member.is_active})
    return form_submit(
        request, form, lambda data: services.staff_update(actor=request.user, member=member,
                                                          **data),
        "Изменения сохранены.") or form_page(
        request, "training/staff_form.html",
        {"form": form, "school": member.school, "member": member})


@require_GET
@login_required
def staff_detail(request, public_id):
    member = staff_get(request.user, public_id)
    rules.ensure(rules.may_view_staff(request.user, member))
    return render(request, "training/staff_detail.html", {
        "member": member, "subjects": member.subjects.all(),
        "enrolments": enrolments_for(request.user).filter(staff=member)
        .order_by("-run__starts_on"),
        "routes": routes_for(request.user).filter(staff=member),
        "can_change": rules.may_manage_staff(request.user, member),
        "can_route": rules.may_add_route(request.user, member),
    })


# -- coverage -----------------------------------------------------------------------------------
@require_GET
@login_required
def coverage_view(request):
    rules.ensure(rules.may_view_coverage(request.user))
    region, regions = region_pick(request.user, request.GET.get("region"), required=True)
    years = coverage_years(region)
    year = year_from(request, years, strict=True,
                     missing="Нет перечня ШНОР за этот год.") or 0
    narrowed = coverage_narrowing(request.user, region)
    data = coverage(region, year or None, municipalities=narrowed)
    title = f"Охват педагогов ШНОР повышением квалификации — {region.name}" + (
        f", {year} г." if year else "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.coverage_xlsx(data, title),
                             f"training-coverage-{region.code}-{year}.xlsx")
    return render(request, "training/coverage.html", {
        "coverage": data, "years": years, "year": year, "region": region,
        "regions": regions, "title": title, "narrowed": narrowed})


# -- individual routes --------------------------------------------------------------------------
@require_GET
@login_required
def route_list(request):
    rules.ensure(rules.may_view_routes(request.user))
    routes = routes_for(request.user)
    tutors = methodists_for(request.user).filter(is_tutor=True).order_by(ru("full_name"))
    filterset = RouteFilter(request.GET or None, tutors=tutors,
                            queryset=routes.order_by("-year", ru("staff__full_name"), "pk"))
    page, query = paginate(request, routes_with_progress(filterset.qs))
    return render(request, "training/route_list.html", {
        "filter": filterset, "page": page, "query": query,
        "can_add": rules.may_add_route(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def route_new(request):
    rules.ensure(rules.may_add_route(request.user))
    staff = staff_for(request.user).filter(is_active=True).order_by(ru("full_name"))
    chosen = request.GET.get("staff")
    regions = set(staff.values_list("region_id", flat=True).distinct())
    tutors = None
    if rules.may_set_tutor(request.user) and len(regions) == 1:
        tutors = (active_tutors_for(request.user).filter(region_id__in=regions)
                  .order_by(ru("full_name")))
    form = RouteForm(request.POST or None, staff=staff, tutors=tutors,
                     initial={"staff": chosen} if chosen else None)
    return form_submit(
        request, form, lambda data: services.route_create(
            actor=request.user, member=data["staff"], year=data["year"],
            tutor=data.get("tutor")),
        "ИОМ создан. Добавьте дефициты и шаги маршрута.") or form_page(
        request, "training/route_form.html", {"form": form, "has_staff": staff.exists()})


def _route_context(request, route, **forms):
    actions = rules.route_actions(request.user, route)
    context = {"route": route, "progress": route_progress(route),
               "deficits": route.deficits.all(),
               "steps": route.steps.select_related("run", "run__course", "deficit"),
               "notes": route.notes.select_related("author"), "actions": actions,
               "may_work": "note" in actions, "is_open": route.is_active}
    if "add_step" in actions:
        context.update({
            "deficit_form": forms.get("deficit_form") or DeficitForm(),
            "step_form": forms.get("step_form") or StepForm(
                deficits=route.deficits.filter(is_closed=False),
                runs=runs_for(request.user).filter(region=route.region)
                .order_by("-starts_on")),
            "done_form": DoneForm(),
        })
    if "note" in actions:
        context["note_form"] = forms.get("note_form") or NoteForm()
    if "set_tutor" in actions:
        context["tutor_form"] = forms.get("tutor_form") or TutorForm(
            tutors=active_tutors_for(request.user).filter(region=route.region)
            .order_by(ru("full_name")),
            initial={"tutor": route.tutor.public_id if route.tutor_id else None})
    return context


@require_GET
@login_required
def route_detail(request, public_id):
    route = route_get(request.user, public_id)
    return render(request, "training/route_detail.html", _route_context(request, route))


def _route_post(request, public_id, form_class, key, action, form_kwargs=None):
    """The shared shape of a route's small forms: validate, call the service, go back."""
    route = route_get(request.user, public_id)
    kwargs = form_kwargs(route) if form_kwargs else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            message = action(route, form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(route)
    return render(request, "training/route_detail.html",
                  _route_context(request, route, **{key: form}), status=400)


@require_POST
@login_required
def route_deficit(request, public_id):
    def action(route, data):
        services.deficit_add(actor=request.user, route=route, **data)
        return "Дефицит добавлен."
    return _route_post(request, public_id, DeficitForm, "deficit_form", action)


@require_POST
@login_required
def route_step(request, public_id):
    def action(route, data):
        services.step_add(actor=request.user, route=route, **data)
        return "Шаг добавлен в маршрут."

    def kwargs(route):
        return {"deficits": route.deficits.all(),
                "runs": runs_for(request.user).filter(region=route.region)}
    return _route_post(request, public_id, StepForm, "step_form", action, kwargs)


@require_POST
@login_required
def route_note(request, public_id):
    def action(route, data):
        services.note_add(actor=request.user, route=route, text=data["text"])
        return "Заметка добавлена."
    return _route_post(request, public_id, NoteForm, "note_form", action)


@require_POST
@login_required
def route_tutor(request, public_id):
    def action(route, data):
        services.route_tutor_set(actor=request.user, route=route, tutor=data["tutor"])
        return "Тьютор назначен." if data["tutor"] else "Тьютор снят."

    def kwargs(route):
        return {"tutors": methodists_for(request.user).filter(region=route.region)}
    return _route_post(request, public_id, TutorForm, "tutor_form", action, kwargs)


@require_POST
@login_required
def route_finish(request, public_id):
    route = route_get(request.user, public_id)
    try:
        services.route_finish(actor=request.user, route=route)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "ИОМ завершён.")
    return redirect(route)


@require_POST
@login_required
def step_done(request, public_id, step_id):
    route = route_get(request.user, public_id)
    step = route.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404("Шаг не найден.")
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите дату выполнения в формате ДД.ММ.ГГГГ.")
        return redirect(route)
    try:
        services.step_done(actor=request.user, step=step, done_on=form.cleaned_data["done_on"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Шаг отмечен выполненным.")
    return redirect(route)


@require_POST
@login_required
def deficit_close(request, public_id, deficit_id):
    route = route_get(request.user, public_id)
    deficit = route.deficits.filter(pk=deficit_id).first()
    if deficit is None:
        raise Http404("Дефицит не найден.")
    try:
        services.deficit_close(actor=request.user, deficit=deficit)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Дефицит отмечен преодолённым.")
    return redirect(route)

