"""What the management cycle adds to other pages: the home page's next actions."""

from __future__ import annotations

from django.utils import timezone

from core.registry import AgendaItem

from . import rules, selectors
from .models import Recommendation

AGENDA_MAX = 5


def agenda(user) -> list[AgendaItem]:
    """Recommendations to act on: the addressee's to accept and to report on (overdue
    first), and the reports waiting for the issuer's side."""
    today = timezone.localdate()
    open_ones = (selectors.recommendations_for(user)
                 .exclude(status=Recommendation.Status.ACCEPTED)
                 .order_by("due_on", "pk")[:50])
    items = []
    for r in open_ones:
        actions = rules.recommendation_actions(user, r)
        if "acknowledge" in actions or "report" in actions:
            verb = ("Принять к исполнению рекомендацию" if "acknowledge" in actions
                    else "Отчитаться по рекомендации")
            overdue = r.is_overdue(today)
            items.append(AgendaItem(f"{verb}: {r.addressed_to}", r.get_absolute_url(),
                                    f"срок {r.due_on:%d.%m.%Y}" + (", просрочена" if overdue
                                                                    else ""),
                                    since=r.due_on, urgent=overdue))
        elif "accept" in actions:
            items.append(AgendaItem(f"Проверить отчёт по рекомендации: {r.addressed_to}",
                                    r.get_absolute_url(), "адресат отчитался",
                                    since=r.reported_at))
        if len(items) >= AGENDA_MAX:
            break
    return items


def school_exit(user, school) -> dict | None:
    """The school's place on the exit list (proposed, approved or kept), with its basis;
    nothing when the school was never proposed."""
    rows = list(selectors.exit_for(user).filter(school=school).order_by("-year"))
    return {"exits": rows} if rows else None
