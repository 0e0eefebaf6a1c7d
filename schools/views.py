from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import permissions
from core.db import ru
from core.paging import paginate
from core.registry import resolve, school_sections
from core.selectors import municipalities_for

from .filters import SchoolFilter
from .selectors import school_get, schools_for


@require_GET
@login_required
def school_list(request):
    permissions.require(request.user, "schools.view_school")
    schools = schools_for(request.user).order_by(ru("short_name"), "pk")
    filterset = SchoolFilter(request.GET or None, queryset=schools,
                             municipalities=municipalities_for(request.user).order_by(ru("name")))
    page, query = paginate(request, filterset.qs)
    return render(request, "schools/school_list.html",
                  {"filter": filterset, "page": page, "query": query})


@require_GET
@login_required
def school_detail(request, public_id):
    school = school_get(request.user, public_id)
    sections = resolve(school_sections(), request.user, school)
    return render(request, "schools/school_detail.html",
                  {"school": school, "sections": sections})
