"""How each measure of a roadmap's file meets the roadmap, for
``roadmaps/import/_result.html`` (the ``status`` the importer's summary stores per row; a
summary stored before the flags existed reads the same), so the template branches on a
mapping, not on strings."""

from __future__ import annotations

from django import template

register = template.Library()

#: A measure of the file against the existing roadmap: (label, badge class; "" — plain text).
ITEM_MARKS = {
    "new": ("новое", "state--ok"),
    "changed": ("изменится", "state--info"),
    "same": ("без изменений", ""),
    "removed": ("удалено в портале", "state--neutral"),
}


@register.filter
def import_item_mark(status: str) -> dict:
    """``{"label": …, "badge": …}`` of a measure of the file (unknown: a new one)."""
    label, badge = ITEM_MARKS.get(status, ITEM_MARKS["new"])
    return {"label": label, "badge": badge}
