"""Database helpers shared by every app."""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

RUSSIAN_COLLATION = "ru-x-icu"


def ru(field: str, *, descending: bool = False):
    """An ordering expression that sorts Russian text as users expect («Ё» beside «Е»).

    PostgreSQL's clusters here use the C.UTF-8 collation, so the ICU collation is asked for
    explicitly; SQLite (the demo) sorts by code point.
    """
    expression = F(field)
    if connection.vendor == "postgresql":
        expression = Collate(expression, RUSSIAN_COLLATION)
    return expression.desc() if descending else expression.asc()
