"""Pages of school documents: the list, a school's checklist of a year, uploads, one
document (its versions, the school's and the curator's actions, the thread) and the
comparison of two versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.queues import after_decision, queue_url
from core.roles import Role
from core.scope import scope_of
from schools.selectors import school_get, schools_for

from .. import rules, services
from ..files import stored_file_response, text_diff
from ..filters import document_filterset
from ..forms import (
    CommentForm,
    DecisionForm,
    NewDocumentForm,
    SchoolActionForm,
    VersionForm,
)
from ..models import Document
from ..selectors import (
    activated_risks,
    document_comments,
    document_get,
    document_history,
    document_versions,
    documents_for,
    kinds_of_year,
    reasons_active,
    review_next,
    school_checklist,
    school_years_with_documents,
    version_get,
    version_text,
)

PREVIEW_PARAGRAPHS = 400


# -- lists ----------------------------------------------------------------------------------------
@require_GET
@login_required
def document_list(request):
    rules.ensure(rules.may_view_document(request.user))
    documents = documents_for(request.user)
    filterset = document_filterset(request.user, request.GET or None)
    years = filterset.years
    # an invalid choice leaves the list whole (the form shows the error)
    if filterset.is_valid():
        documents = filterset.qs
    documents = documents.order_by("-year", ru("school__short_name"), "kind__position",
                                   "risk_factor__position", "created_at")
    page, query = paginate(request, documents)
    return render(request, "roadmaps/document_list.html", {
        "page": page, "query": query, "filter": filterset,
        "own_checklists": _own_checklists(request.user, years),
        "filtered": filterset.filtered,
    })


def _own_checklists(user, years: list[int]) -> list[tuple]:
    """A school coordinator's way from the list to its own work: (school, year) of each of
    its schools' checklists, the newest year that has kinds."""
    ids = scope_of(user).school_ids_by_role.get(Role.SCHOOL_COORDINATOR, frozenset())
    if not ids or not years:
        return []
    return [(school, years[0]) for school in
            schools_for(user).filter(pk__in=ids).order_by(ru("short_name"))[:5]]


@require_GET
@login_required
def checklist(request, school, year):
    school = school_get(request.user, school)
    rules.ensure(rules.may_view_document(request.user, school))
    data = school_checklist(request.user, school, year)
    return render(request, "roadmaps/checklist.html", {
        "school": school, "year": year, "checklist": data,
        "years": school_years_with_documents(request.user, school),
        "can_upload": rules.may_submit_document(request.user, school),
        "can_load_kinds": rules.may_configure_kinds(request.user),
    })


# -- uploads --------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def document_upload(request, school, year):
    """The first version of a document of the school-year (the slot is chosen here)."""
    school = school_get(request.user, school)
    rules.ensure(rules.may_submit_document(request.user, school))
    kinds = list(kinds_of_year(year))
    if not kinds:
        raise Http404("Виды документов на этот год не настроены.")
    risks = activated_risks(school, year)
    form = NewDocumentForm(request.POST or None, request.FILES or None, kinds=kinds,
                           risks=risks, initial={"kind": request.GET.get("kind", ""),
                                                 "risk": request.GET.get("risk", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.document_upload(
                actor=request.user, school=school, year=year, upload=data["file"],
                slot=services.Slot(kind=data["kind"], risk=data["risk"], title=data["title"]),
                note=data["note"], submit=data["submit"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _uploaded_message(version))
            return redirect(version.document)
    selected = form["kind"].value()
    return render(request, "roadmaps/document_upload.html", {
        "school": school, "year": year, "form": form, "kinds": kinds, "risks": risks,
        "selected_kind": next((k for k in kinds if k.code == selected), None),
    }, status=400 if request.method == "POST" else 200)


def _uploaded_message(version) -> str:
    document = version.document
    text = f"Версия {version.number} загружена."
    if document.status == Document.Status.SUBMITTED:
        text += " Документ отправлен куратору на проверку."
    else:
        text += " Документ сохранён как черновик: отправьте его на проверку, когда он готов."
    # what the service found under its row lock (a curator's decision a moment before the
    # upload counts), never a status this view read before calling it
    was = getattr(version, "previous_status", None)
    if was == Document.Status.APPROVED:
        text += " Документ был подтверждён — новая версия снова требует проверки куратора."
    elif was == Document.Status.SUBMITTED:
        text += " Она заменила на проверке предыдущую версию."
    return text


@require_POST
@login_required
def version_upload(request, public_id):
    document = document_get(request.user, public_id)
    rules.ensure(rules.may_submit_document(request.user, document))
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.document_upload(
                actor=request.user, school=document.school, year=document.year,
                upload=data["file"], document=document, note=data["note"],
                submit=data["submit"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _uploaded_message(version))
        return redirect(document)
    return render(request, "roadmaps/document_detail.html",
                  _detail_context(request, document, version_form=form), status=400)


# -- one document ---------------------------------------------------------------------------------
def _detail_context(request, document, *, version_form=None, decision_form=None,
                    comment_form=None) -> dict:
    versions = document_versions(document)
    current = versions[0] if versions else None
    actions = rules.document_actions(request.user, document, current)
    reasons = list(reasons_active())
    preview = None
    if current is not None and current.extension == "docx":
        preview = version_text(current, PREVIEW_PARAGRAPHS)
    return {
        "document": document, "versions": versions, "current": current,
        "comments": document_comments(document), "history": document_history(document)[:50],
        "requirements": document.kind.requirement_list,
        "actions": actions,
        "can_upload": "upload" in actions, "can_submit": "submit" in actions,
        "can_withdraw": "withdraw" in actions, "can_review": "review" in actions,
        "can_comment": "comment" in actions,
        "version_form": version_form or VersionForm(),
        "decision_form": decision_form or DecisionForm(reasons=reasons),
        "comment_form": comment_form or CommentForm(),
        "reasons": reasons,
        "preview": preview.lines if preview else None,
        "preview_truncated": preview is not None and preview.truncated,
        "pdf_preview": current is not None and current.extension == "pdf",
        "checklist_url": reverse("roadmaps:checklist",
                                 args=[document.school.public_id, document.year]),
    }


@require_GET
@login_required
def document_detail(request, public_id):
    document = document_get(request.user, public_id)
    return render(request, "roadmaps/document_detail.html", _detail_context(request, document))


_DONE = {"submit": "Документ отправлен куратору на проверку.",
         "withdraw": "Документ отозван с проверки и снова стал черновиком.",
         "approve": "Документ подтверждён. Школа получила уведомление.",
         "return": "Документ возвращён школе на доработку. Школа получила уведомление."}


@require_POST
@login_required
def document_action(request, public_id):
    """The school's actions: submit the current version, withdraw it from review."""
    document = document_get(request.user, public_id)
    rules.ensure(rules.may_submit_document(request.user, document))
    form = SchoolActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Неизвестное действие с документом.")
        return redirect(document)
    action = form.cleaned_data["action"]
    try:
        services.document_transition(actor=request.user, document=document, action=action)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _DONE[action])
    return redirect(document)


@require_POST
@login_required
def document_decide(request, public_id):
    """The curator's decision on the version it looked at."""
    document = document_get(request.user, public_id)
    rules.ensure(rules.may_review_document(request.user, document))
    form = DecisionForm(request.POST, reasons=list(reasons_active()))
    if not form.is_valid():
        return render(request, "roadmaps/document_detail.html",
                      _detail_context(request, document, decision_form=form), status=400)
    data = form.cleaned_data
    try:
        services.document_transition(actor=request.user, document=document,
                                     action=data["action"], comment=data["comment"],
                                     reasons=data["reasons"], version_number=data["version"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(document)
    following = review_next(request.user, document)
    return after_decision(
        request, _DONE[data["action"]], following,
        label=f"«{following.display_title}», {following.school.short_name}" if following else "",
        empty_url=queue_url("documents", reverse("roadmaps:document_list"),
                            year=document.year))


@require_POST
@login_required
def comment_add(request, public_id):
    document = document_get(request.user, public_id)
    rules.ensure(rules.may_comment_document(request.user, document))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=request.user, document=document,
                                 body=form.cleaned_data["body"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Комментарий добавлен.")
        return redirect(f"{document.get_absolute_url()}#thread")
    return render(request, "roadmaps/document_detail.html",
                  _detail_context(request, document, comment_form=form), status=400)


@require_GET
@login_required
@xframe_options_sameorigin
def version_download(request, public_id):
    """A version's file for whoever may see the document (404 outside the scope); PDFs may
    be shown inline for the preview on the document page."""
    version = version_get(request.user, public_id)
    inline = request.GET.get("inline") == "1" and version.extension == "pdf"
    return stored_file_response(version.file, version.original_name, version.extension,
                                inline=inline)


@require_GET
@login_required
def version_compare(request, public_id):
    document = document_get(request.user, public_id)
    versions = document_versions(document)
    by_number = {v.number: v for v in versions}
    if len(versions) < 2:
        messages.info(request, "У документа одна версия — сравнивать пока не с чем.")
        return redirect(document)

    def pick(name, default):
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError):
            return by_number[default]

    new = pick("b", versions[0].number)
    old = pick("a", versions[1].number if new.number == versions[0].number
               else max(1, new.number - 1))
    if old.number > new.number:
        old, new = new, old
    diff = None
    if old.extension == "docx" and new.extension == "docx" and old.pk != new.pk:
        a, b = version_text(old), version_text(new)
        if a is not None and b is not None:
            diff = text_diff(a, b)
    return render(request, "roadmaps/version_compare.html", {
        "document": document, "versions": versions, "old": old, "new": new,
        "diff": diff.lines if diff else None, "diff_truncated": diff is not None and diff.truncated,
        "changed": diff is not None and any(d and d.op != "same" for d in diff.lines),
        # the decision form of the document page, so the curator decides right here
        "current": versions[0], "decision_form": DecisionForm(reasons=list(reasons_active())),
        "can_review": "review" in rules.document_actions(request.user, document, versions[0]),
    })
