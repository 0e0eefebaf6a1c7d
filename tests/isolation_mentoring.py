"""Isolation cases of the mentoring app (network pairs), merged into ``tests.isolation``."""

from __future__ import annotations

from tests.isolation import Case, _pk

MENTOR_B = "Школа-наставник b"


def _pair_marker(objs):
    return objs["pair_b"].mentor.short_name


URLS: dict = {
    "mentoring:pairs": Case("list", marker=_pair_marker),
    "mentoring:pair_new": Case("list", marker=lambda o: o["world_b"].school1.full_name),
    "mentoring:pair": Case("object", kwargs=_pk("pair_b")),
    "mentoring:pair_agreement": Case("object", kwargs=_pk("pair_b")),
    "mentoring:pair_end": Case("object", method="post", mutation=True, kwargs=_pk("pair_b")),
    "mentoring:activity_add": Case("object", method="post", mutation=True,
                                   kwargs=_pk("pair_b")),
    "mentoring:activity_evidence": Case("object", kwargs=_pk("activity_b")),
}
OPENERS: dict[str, str] = {
    "mentoring:pairs": "staff municipal curator school",
    "mentoring:pair_new": "staff municipal",
    "mentoring:pair": "staff municipal curator school",
    "mentoring:pair_agreement": "staff municipal curator school",
    "mentoring:activity_evidence": "staff municipal curator school",
}


def build_b(world_b) -> dict:
    """Region B's mentoring objects for the isolation matrix: a mentor school (effective in
    2022 by region B's thresholds of that year) paired with school 1 (ШНОР 2022, its
    submitted profile activates R01), under an agreement file, with one logged activity
    that has an evidence file."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import upload_check
    from mentoring import services as m
    from schools.services import thresholds_set
    from tests.factories import SchoolFactory, SchoolYearFactory
    from tests.files import pdf_bytes

    def pdf(name):
        f = SimpleUploadedFile(name, pdf_bytes(name))
        return upload_check(f, f.name, f.size)

    staff = world_b.regional_staff
    thresholds_set(actor=staff, region=world_b.region, year=2022, ior_min=Decimal("0.5"),
                   isb_min=Decimal("0.5"))
    mentor = SchoolFactory(municipality=world_b.other_municipality, short_name=MENTOR_B,
                           full_name="Средняя школа-наставник b")
    SchoolYearFactory(school=mentor, year=2022, is_shnor=False, is_participant=False,
                      category="", ior=Decimal("0.9"), isb=Decimal("0.8"))
    pair = m.pair_create(actor=staff, upload=pdf("soglashenie-b.pdf"), data=m.PairInput(
        school=world_b.school1, mentor=mentor, year=2022, start_on=datetime.date(2022, 3, 1),
        agreement_number="СП-Б-1", agreement_date=datetime.date(2022, 2, 20), areas=("R01",)))
    activity = m.activity_add(actor=world_b.school_coordinator, pair=pair,
                              upload=pdf("seminar-b.pdf"), data=m.ActivityInput(
                                  kind="seminar", held_on=datetime.date(2022, 4, 12),
                                  title="Семинар пары региона Б",
                                  participants="учителя математики", participants_count=7))
    return {"pair_b": pair, "activity_b": activity, "mentor_b": mentor}
