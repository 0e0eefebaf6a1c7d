"""A roadmap loaded from a file: the upload starts an import batch of ``schools`` (its
check, preview and apply pages are the batches'; ``roadmaps.importer`` reads the file)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.selectors import municipalities_for, staff_region
from schools.models import ImportBatch
from schools.services import import_batch_create

from .. import rules
from ..forms import RoadmapImportForm
from .plans import _list_context


@require_POST
@login_required
def plan_import(request):
    rules.ensure(rules.may_import_roadmap(request.user))
    region = staff_region(request.user)
    form = RoadmapImportForm(request.POST, request.FILES, municipalities=list(
        municipalities_for(request.user).filter(region=region)))
    if form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        params = {"level": data["level"], "title": data["title"].strip(),
                  "start_year": data["start_year"], "end_year": data["end_year"],
                  "municipality": str(data["municipality"].public_id)
                  if data["municipality"] else "",
                  "existing": data.get("existing") or "update"}
        try:
            batch, _ = import_batch_create(
                actor=request.user, region=region, year=data["start_year"],
                kind=ImportBatch.Kind.ROADMAP, file_name=upload.name, content=upload.read(),
                params=params)
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch)
    return render(request, "roadmaps/plans/list.html",
                  _list_context(request, import_form=form), status=400)
