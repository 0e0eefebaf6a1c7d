"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def ru_plural(value, forms: str) -> str:
    """The Russian noun form for a number: ``{{ n|ru_plural:"школа,школы,школ" }}``."""
    one, few, many = (f.strip() for f in forms.split(","))
    try:
        n = abs(int(value))
    except (TypeError, ValueError):
        return many
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
