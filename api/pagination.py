from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """``?page=N&page_size=M`` (M up to 500, 100 by default); ``next``/``previous`` links."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
