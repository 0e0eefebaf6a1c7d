"""Facts the mentoring app publishes to other apps (the management cycle, monitoring):
which schools are in network pairs. Other apps read these and never query
``mentoring.models`` themselves."""

from __future__ import annotations

import datetime

from .models import Pair


def paired_schools(school_ids, year: int) -> set[int]:
    """Of ``school_ids``, those mentored (the programme school of a pair, not its mentor)
    by a pair active at any time in the calendar year ``year``: started by 31.12 and not
    ended before 01.01 (``end_on`` empty or on/after it). An ended pair counts for the
    years it ran: ending sets ``end_on`` to the day it ended. One query."""
    return set(Pair.objects.filter(school_id__in=list(school_ids),
                                   start_on__lte=datetime.date(year, 12, 31))
               .exclude(end_on__lt=datetime.date(year, 1, 1))
               .values_list("school_id", flat=True).distinct())
