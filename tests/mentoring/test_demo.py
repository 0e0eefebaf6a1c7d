"""``demo.pairs.load_pairs`` on the loaded demo: three pairs in Rostov, through the
services, and nothing more on a second run."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_load_pairs_builds_three_pairs_once():
    from demo.pairs import load_pairs
    from mentoring.facts import paired_schools
    from mentoring.models import Activity, Pair

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    load_pairs()
    pairs = list(Pair.objects.filter(region__code=61).order_by("start_on"))
    assert len(pairs) == 3
    assert [p.is_ended for p in pairs] == [True, False, False]  # the one of 01.02 is ended
    assert Activity.objects.filter(pair__in=pairs).count() == 6
    assert all(p.areas for p in pairs)
    assert paired_schools([p.school_id for p in pairs], 2022) == {p.school_id for p in pairs}
    load_pairs()
    assert Pair.objects.filter(region__code=61).count() == 3  # a second run adds none
