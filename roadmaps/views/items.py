"""Pages of one measure of a roadmap (edit, completion with evidence, reopen, removal) and
the list of overdue (or soon due) measures."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.db import ru
from core.exceptions import DomainError
from core.paging import paginate
from core.selectors import municipalities_for

from .. import rules
from ..filters import OverdueFilter
from ..forms import CompleteForm, ReasonForm
from ..selectors.plans import (
    completed_q,
    evidence_versions,
    item_get,
    item_history,
    item_state,
    items_for,
    overdue_q,
    today,
)
from ..services import plans as services
from .plans import EDITING_REFUSED, _item_form, _item_input, _saved_message


# -- one measure ----------------------------------------------------------------------------------
def _item_context(request, item, *, edit_form=None, complete_form=None,
                  reason_form=None) -> dict:
    roadmap = item.roadmap
    editable = rules.may_edit_roadmap(request.user, roadmap)
    item.state = item_state(item, today())
    context = {"item": item, "roadmap": roadmap, "editable": editable,
               "versions": evidence_versions(item), "history": item_history(item)[:50]}
    if editable:
        initial = {"section": str(item.section_id or ""), "number": item.number,
                   "activity": item.activity, "deadline_text": item.deadline_text,
                   "due_start": item.due_start if item.due_manual else None,
                   "due_end": item.due_end if item.due_manual else None,
                   "responsible": item.responsible,
                   "responsible_user": str(item.responsible_user.public_id)
                   if item.responsible_user_id else "",
                   "expected_result": item.expected_result,
                   "risk": item.risk_factor.code if item.risk_factor_id else "",
                   "stage": str(item.stage.public_id) if item.stage_id else "",
                   "evidence_required": item.evidence_required}
        context["edit_form"] = edit_form or _item_form(request, roadmap, initial=initial)
        context["complete_form"] = complete_form or CompleteForm(
            initial={"done_on": today()})
        context["reason_form"] = reason_form or ReasonForm()
    return context


@require_GET
@login_required
def item_detail(request, public_id):
    rules.ensure(rules.may_view_roadmap(request.user))
    item = item_get(request.user, public_id)
    return render(request, "roadmaps/plans/item.html", _item_context(request, item))


def _item_for_edit(request, public_id):
    item = item_get(request.user, public_id)
    if not rules.may_edit_roadmap(request.user, item.roadmap):
        raise PermissionDenied(EDITING_REFUSED)
    return item


@require_POST
@login_required
def item_edit(request, public_id):
    item = _item_for_edit(request, public_id)
    form = _item_form(request, item.roadmap, request.POST)
    if form.is_valid():
        try:
            item = services.item_update(actor=request.user, item=item,
                                        data=_item_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            _saved_message(request, item, "сохранено")
            return redirect(item)
    return render(request, "roadmaps/plans/item.html",
                  _item_context(request, item, edit_form=form), status=400)


@require_POST
@login_required
def item_complete(request, public_id):
    item = _item_for_edit(request, public_id)
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_complete(actor=request.user, item=item,
                                          done_on=data["done_on"], note=data["note"],
                                          upload=data["file"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if item.roadmap.needs_confirmation:
                messages.success(request, "Мероприятие отмечено выполненным. Подтверждающий "
                                          "документ отправлен куратору на проверку.")
            else:
                messages.success(request, "Мероприятие отмечено выполненным.")
            return redirect(item)
    return render(request, "roadmaps/plans/item.html",
                  _item_context(request, item, complete_form=form), status=400)


def _reasoned(request, public_id, action, done_text: str):
    item = _item_for_edit(request, public_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            item = action(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done_text)
            return item, None
    return item, render(request, "roadmaps/plans/item.html",
                        _item_context(request, item, reason_form=form), status=400)


@require_POST
@login_required
def item_reopen(request, public_id):
    item, failed = _reasoned(request, public_id, services.item_reopen,
                             "Отметка о выполнении снята.")
    return failed or redirect(item)


@require_POST
@login_required
def item_remove(request, public_id):
    item, failed = _reasoned(request, public_id, services.item_remove,
                             "Мероприятие удалено из дорожной карты (оно сохранено в журнале "
                             "действий).")
    return failed or redirect(item.roadmap)


# -- overdue --------------------------------------------------------------------------------------
@require_GET
@login_required
def overdue(request):
    rules.ensure(rules.may_view_roadmap(request.user))
    user = request.user
    municipalities = list(municipalities_for(user).order_by(ru("name")))
    filterset = OverdueFilter(request.GET or None, queryset=items_for(user), user=user,
                              municipalities=municipalities)
    day = today()
    # an invalid form narrows nothing and shows the overdue measures
    items = filterset.qs if filterset.is_valid() else filterset.queryset
    soon = filterset.soon
    if soon:
        items = items.filter(due_end__gte=day,
                             due_end__lte=day + datetime.timedelta(services.REMIND_DAYS)
                             ).exclude(completed_q())
    else:
        items = items.filter(overdue_q(day))
    items = items.order_by("due_end", "roadmap__title", "position", "pk")
    page, query = paginate(request, items)
    for item in page.object_list:
        item.state = item_state(item, day)
        item.days = (day - item.due_end).days
    return render(request, "roadmaps/plans/overdue.html", {
        "form": filterset.form, "page": page, "query": query, "soon": soon, "today": day})
