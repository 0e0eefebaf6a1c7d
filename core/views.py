from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import rules
from .agenda import HOME_AGENDA, agenda_for
from .exceptions import DomainError
from .filters import AuditEntryFilter, JobFilter, NotificationFilter
from .forms import LoginForm, NotificationSettingsForm, PortalPasswordChangeForm
from .jobs import job_check, job_restart, job_start, jobs_check
from .middleware import read_action
from .models import Job
from .notifications import (
    notification_channels,
    notification_kinds_for,
    notification_preferences_save,
    notifications_mark_read,
)
from .paging import paginate
from .registry import home_sections, resolve
from .scope import scope_of
from .selectors import (
    audit_entries_for,
    job_get,
    jobs_for,
    memberships_for,
    my_jobs,
    notification_get,
    notifications_for,
)
from .services import user_password_change


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"


@require_GET
@login_required
def home(request):
    scope = scope_of(request.user)
    sections = resolve([s for s in home_sections() if s.roles & scope.roles], request.user)
    agenda = agenda_for(request.user)
    return render(request, "core/home.html", {"sections": sections, "scope": scope,
                                              "no_roles": not scope.roles,
                                              "agenda": agenda[:HOME_AGENDA],
                                              "agenda_total": len(agenda)})


@require_GET
@login_required
def profile(request):
    memberships = memberships_for(request.user).filter(user=request.user).order_by(
        "ended_at", "role")
    jobs = jobs_for(request.user).filter(created_by=request.user)[:10]
    from .registry import profile_sections, resolve

    return render(request, "core/profile.html", {
        "memberships": memberships, "jobs": jobs,
        "sections": resolve(profile_sections(), request.user)})


@read_action
@require_http_methods(["GET", "POST"])
@login_required
def password_change(request):
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_password_change(actor=request.user, user=request.user,
                             new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "Пароль изменён.")
        return redirect("core:profile")
    return render(request, "registration/password_change_form.html", {"form": form})


@require_GET
@login_required
def audit_list(request):
    rules.ensure(rules.may_view_audit(request.user))
    filterset = AuditEntryFilter(request.GET or None, queryset=audit_entries_for(request.user))
    page, query = paginate(request, filterset.qs)
    return render(request, "core/audit_list.html",
                  {"filter": filterset, "page": page, "query": query})


@require_POST
@login_required
def audit_export(request):
    rules.ensure(rules.may_view_audit(request.user))
    filters = {k: v for k, v in request.POST.items()
               if k in AuditEntryFilter.base_filters and v}
    try:
        job = job_start(actor=request.user, kind="core.audit_export",
                        params={"filters": filters})
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("core:audit_list")
    return redirect(job)


@require_GET
@login_required
def job_list(request):
    filterset = JobFilter(request.GET, queryset=my_jobs(request.user))
    status = filterset.data.get("status", "")
    page, query = paginate(request, filterset.qs, per_page=25)
    # unfinished jobs are settled as on their own page (a lost one shows «Запустить снова»)
    page.object_list = jobs_check(list(page.object_list))
    return render(request, "core/job_list.html", {
        "page": page, "query": query, "status": status, "statuses": Job.Status.choices})


@read_action
@require_POST
@login_required
def job_restart_view(request, public_id):
    job = job_get(request.user, public_id)
    try:
        new = job_restart(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(job.get_absolute_url() + "?stay=1")
    messages.success(request, "Задача запущена повторно.")
    return redirect(new)


# The job page and its status poll settle a job whose worker is gone (core.jobs.job_check):
# a write on GET, but of the system's own bookkeeping — nothing the user asked for.
@require_GET
@login_required
def job_detail(request, public_id):
    job = job_check(job_get(request.user, public_id))
    if job.is_succeeded and job.result_url and "stay" not in request.GET:
        # the outcome lives on its own page (an import batch), which tells it in full
        return redirect(job.result_url)
    return render(request, "core/job_detail.html", {
        "job": job, "actions": rules.job_actions(request.user, job),
        "may_download": rules.may_download_job(request.user, job),
        # the form is on the page from the start, shown by job.js once the job failed
        "can_restart_later": rules.may_restart_job(request.user, job)})


@require_GET
@login_required
def job_status(request, public_id):
    job = job_check(job_get(request.user, public_id))
    actions = rules.job_actions(request.user, job)
    return JsonResponse({
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "message": job.message,
        "finished": job.is_finished,
        "download_url": (reverse("core:job_download", args=[job.public_id])
                         if "download" in actions else ""),
        "result_url": job.result_url if job.is_finished else "",
        "restartable": "restart" in actions,
    })


@require_GET
@login_required
def job_download(request, public_id):
    job = job_get(request.user, public_id)
    if not job.result_file:
        raise Http404("Файл результата недоступен: задача не завершена или срок хранения истёк.")
    if not rules.may_download_job(request.user, job):
        return render(request, "core/job_unavailable.html", {
            "job": job, "reason": "Файл результата больше недоступен: ваша роль на портале "
                                  "больше не даёт права на такие отчёты и выгрузки. Если роль "
                                  "нужна вам снова, обратитесь к региональному координатору."},
            status=403)
    return FileResponse(job.result_file.open("rb"), as_attachment=True,
                        filename=job.result_name or "result")



# -- notifications --------------------------------------------------------------------------------
@require_GET
@login_required
def notification_list(request):
    filterset = NotificationFilter(request.GET, queryset=notifications_for(request.user))
    page, query = paginate(request, filterset.qs)
    return render(request, "core/notification_list.html", {
        "page": page, "query": query, "only_unread": filterset.data.get("unread") == "1"})


@read_action
@require_POST
@login_required
def notification_open(request, public_id):
    """Mark the notification read and go where it points (a POST: reading is a change)."""
    notification = notification_get(request.user, public_id)
    notifications_mark_read(request.user, public_id=notification.public_id)
    url = notification.url
    if not url.startswith("/") or url.startswith("//"):
        url = reverse("core:notification_list")
    return redirect(url)


@read_action
@require_POST
@login_required
def notification_read_all(request):
    count = notifications_mark_read(request.user)
    if count:
        messages.success(request, "Все уведомления отмечены прочитанными.")
    return redirect("core:notification_list")


@read_action  # the user's own setting, like the password: a read-only role may change it
@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request):
    kinds = notification_kinds_for(request.user)
    form = NotificationSettingsForm(kinds, notification_channels(request.user),
                                    request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = notification_preferences_save(actor=request.user, user=request.user,
                                                channels=form.channels())
        messages.success(request, "Настройки уведомлений сохранены." if changed
                         else "Настройки уведомлений не изменились.")
        return redirect("core:notification_settings")
    return render(request, "core/notification_settings.html", {
        "form": form, "has_email": bool(request.user.email)})
