from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """``?page=N&page_size=M`` (M up to 500, 100 by default); ``next``/``previous`` links.

    A page is found on the bare keys first and only its rows are read whole: an OFFSET makes
    PostgreSQL compute every column of every row it skips, and the registry's rows carry
    the group computed from the region's thresholds (two subqueries a row) — page 40 of the
    federal list would pay for 20,000 rows to show 500 (``benchmarks/monitoring.py``)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if keys is None:
            return None
        rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
        return [rows[pk] for pk in keys]
