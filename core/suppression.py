"""Small groups are not shown to aggregate-only readers (issue 22, item 3).

The federal observer reads aggregates of every region and no single record. A figure built
from fewer than ``AGGREGATE_MIN_SCHOOLS`` schools (default 3) would tell one school's data
— a district with one participant school shows that school's risks and documents — so for
such readers it is replaced by «менее 3 школ». So that a hidden figure cannot be recovered
by subtracting the shown ones from the total, rows are hidden together until what is
hidden comes from at least that many schools (complementary suppression); a total from
fewer schools is hidden itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from .text import plural


def minimum() -> int:
    return max(1, settings.AGGREGATE_MIN_SCHOOLS)


def label() -> str:
    """«менее 3 школ» (after «менее» the genitive: «менее 21 школы»)."""
    n = minimum()
    return f"менее {n} {plural(n, 'школы', 'школ', 'школ')}"


def too_small(schools: int | None) -> bool:
    """A figure from ``schools`` schools may not be shown (none at all is no secret)."""
    return bool(schools) and schools < minimum()


def hidden_rows(sizes: Sequence[int]) -> set[int]:
    """The indices of the rows to hide, given each row's number of schools: every row
    below the minimum and, while the hidden rows together come from fewer schools than
    the minimum (a shown total minus the shown rows would give them), the smallest shown
    rows too."""
    hidden = {i for i, n in enumerate(sizes) if too_small(n)}
    if not hidden:
        return hidden
    together = sum(sizes[i] for i in hidden)
    shown = sorted((i for i in range(len(sizes)) if i not in hidden and sizes[i]),
                   key=lambda i: (sizes[i], i))
    while together < minimum() and shown:
        i = shown.pop(0)
        hidden.add(i)
        together += sizes[i]
    return hidden


def reads_only_aggregates(user, region=None) -> bool:
    """Whether ``user`` sees the figures of ``region`` (``None``: several regions) only as
    aggregates: the federal observer, outside any region it is also a member of."""
    from .scope import scope_of

    scope = scope_of(user)
    if scope.is_national or not scope.sees_all_aggregates:
        return False
    region_id = getattr(region, "pk", region)
    return region_id is None or region_id not in scope.member_region_ids
