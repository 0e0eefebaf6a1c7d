"""Writes of network pairs: what is refused (with which message, writing nothing), what is
recorded, who is told."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEntry, Notification
from mentoring import services as m
from mentoring.models import Activity, Pair
from tests.mentoring.conftest import bare_pair, pair_input, pdf_upload

TODAY = datetime.date(2022, 6, 1)


def _activity(**changes):
    data = {"kind": "seminar", "held_on": datetime.date(2022, 4, 5), "title": "Семинар по ВПР",
            "participants": "учителя математики обеих школ", "participants_count": 12}
    data.update(changes)
    return m.ActivityInput(**data)


def _refused(s, message, *, upload=True, **kwargs):
    before = AuditEntry.objects.count()
    with pytest.raises(m.MentoringError) as exc:
        m.pair_create(actor=s.world.regional_staff, data=pair_input(s, **kwargs),
                      upload=pdf_upload() if upload else None, today=TODAY)
    assert str(exc.value) == message
    assert Pair.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_pair_create_records_audit_and_tells_both_coordinators(mentoring, django_user_model):
    s = mentoring
    from core.roles import Role
    from core.services import membership_create

    mentor_head = django_user_model.objects.create_user(username="mentor_head",
                                                        last_name="Наставникова")
    membership_create(actor=None, user=mentor_head, role=Role.SCHOOL_COORDINATOR,
                      school=s.resilient)
    pair = m.pair_create(actor=s.world.regional_staff, upload=pdf_upload("Соглашение СП-12.pdf"),
                         data=pair_input(s, areas=("R04", "R01")), today=TODAY)
    pair.refresh_from_db()
    assert (pair.school, pair.mentor, pair.region) == (s.school, s.resilient, s.world.region)
    assert pair.areas == ["R01", "R04"]  # the catalogue's order
    assert pair.agreement_name == "Соглашение СП-12.pdf"
    assert pair.agreement.read().startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="mentoring.pair.created")
    assert entry.data["mentor"] == "Резильентная a"
    assert entry.data["agreement"] == "№ СП-12 от 20.02.2022"
    told = set(Notification.objects.filter(kind="mentoring.pair")
               .values_list("recipient__username", flat=True))
    assert told == {"school_a", "mentor_head"}


def test_mentor_not_of_a_mentor_group_is_refused(mentoring):
    _refused(mentoring, "«Несправляющаяся a» в 2022 г. не относится к эффективным или "
                        "резильентным школам (её группа — «несправляющиеся»): наставником "
                        "она быть не может.", mentor=mentoring.struggling)


def test_mentor_without_indices_is_refused(mentoring):
    _refused(mentoring, "«Школа a2» в 2022 г. не относится к эффективным или резильентным "
                        "школам (её группа не определена (нет индексов или порогов)): "
                        "наставником она быть не может.", mentor=mentoring.world.school2)


def test_the_school_itself_is_refused(mentoring):
    _refused(mentoring, "Школа не может быть наставником самой себе: выберите другую школу.",
             mentor=mentoring.school)


def test_a_school_outside_the_programme_list_is_refused(mentoring):
    s = mentoring
    from mentoring.services import PairInput

    before = AuditEntry.objects.count()
    with pytest.raises(m.MentoringError, match="«Эффективная a» не входит в перечень ШНОР и "
                                               "ШССУ 2022 г."):
        m.pair_create(actor=s.world.regional_staff, upload=pdf_upload(), today=TODAY,
                      data=PairInput(school=s.effective, mentor=s.resilient, year=2022,
                                     start_on=datetime.date(2022, 3, 1), areas=("R01",),
                                     agreement_number="1",
                                     agreement_date=datetime.date(2022, 3, 1)))
    assert AuditEntry.objects.count() == before


def test_a_full_mentor_is_refused(mentoring, settings):
    s = mentoring
    for school in (s.world.school2, s.world.school_other, s.effective):
        bare_pair(school, s.resilient)
    bare_pair(s.neighbour, s.resilient, status="ended", end_on=datetime.date(2022, 5, 1))
    before = AuditEntry.objects.count()
    with pytest.raises(m.MentoringError) as exc:
        m.pair_create(actor=s.world.regional_staff, upload=pdf_upload(), today=TODAY,
                      data=pair_input(s))
    assert str(exc.value) == ("У «Резильентная a» уже 3 действующие пары — это предел (не "
                              "больше 3). Выберите другую школу-наставника.")
    assert Pair.objects.filter(school=s.school).count() == 0
    assert AuditEntry.objects.count() == before
    settings.PORTAL_MENTOR_MAX_PAIRS = 4  # the limit is the setting's
    assert m.pair_create(actor=s.world.regional_staff, upload=pdf_upload(), today=TODAY,
                         data=pair_input(s)).mentor == s.resilient


def test_an_area_that_is_not_an_activated_risk_is_refused(mentoring):
    _refused(mentoring, "Фактор риска R02 не активирован в риск-профиле «Школа a1» за 2022 г.: "
                        "помощь назначается только по активированным рискам.",
             areas=("R01", "R02"))
    _refused(mentoring, "Выберите хотя бы одно направление помощи — активированный фактор "
                        "риска школы.", areas=())


def test_risks_of_a_draft_profile_are_not_areas(mentoring):
    from risk_profiles.models import RiskProfile

    RiskProfile.objects.filter(school=mentoring.school).update(status="draft")
    _refused(mentoring, "Фактор риска R01 не активирован в риск-профиле «Школа a1» за 2022 г.: "
                        "помощь назначается только по активированным рискам.")


def test_no_agreement_file_is_refused(mentoring):
    _refused(mentoring, "Приложите соглашение о сетевом взаимодействии (файл PDF, Word или "
                        "OpenDocument).", upload=False)


def test_period_and_agreement_checks(mentoring):
    _refused(mentoring, "Дата окончания пары раньше даты начала.",
             end_on=datetime.date(2022, 2, 1))
    _refused(mentoring, "Период пары должен захватывать 2022 год.",
             start_on=datetime.date(2023, 1, 2))
    _refused(mentoring, "Дата соглашения не может быть в будущем.",
             agreement_date=datetime.date(2022, 6, 2))


def test_a_second_active_pair_of_the_same_schools_is_refused(mentoring):
    bare_pair(mentoring.school, mentoring.resilient)
    with pytest.raises(m.MentoringError, match="уже образуют действующую пару"):
        m.pair_create(actor=mentoring.world.regional_staff, upload=pdf_upload(), today=TODAY,
                      data=pair_input(mentoring))


def test_who_may_create(mentoring):
    s, w = mentoring, mentoring.world
    # the municipal coordinator of a1's municipality, with a mentor of another municipality
    pair = m.pair_create(actor=w.municipal_coordinator, upload=pdf_upload(), today=TODAY,
                         data=pair_input(s, mentor=s.neighbour))
    assert pair.mentor.municipality == w.other_municipality
    for user in (w.school_coordinator, w.curator, w.methodist):
        with pytest.raises(PermissionDenied):
            m.pair_create(actor=user, upload=pdf_upload(), today=TODAY,
                          data=pair_input(s, mentor=s.effective))
    assert Pair.objects.count() == 1


def test_activity_add_and_its_refusals(mentoring):
    s, w = mentoring, mentoring.world
    pair = m.pair_create(actor=w.regional_staff, upload=pdf_upload(), data=pair_input(s),
                         today=TODAY)
    done = m.activity_add(actor=w.school_coordinator, pair=pair, data=_activity(),
                          upload=pdf_upload("Протокол семинара.pdf"), today=TODAY)
    assert (done.region, done.participants_count, done.evidence_name) == (
        w.region, 12, "Протокол семинара.pdf")
    assert AuditEntry.objects.filter(action="mentoring.activity.added").count() == 1
    for data, message in (
            (_activity(held_on=datetime.date(2022, 6, 2)),
             "Дата мероприятия не может быть в будущем: в журнал вносится то, что уже "
             "проведено."),
            (_activity(held_on=datetime.date(2022, 2, 28)),
             "Пара начата 01.03.2022: мероприятие не может быть раньше."),
            (_activity(title="  "), "Укажите тему мероприятия."),
            (_activity(kind="party"), "Выберите вид мероприятия из списка.")):
        with pytest.raises(m.MentoringError) as exc:
            m.activity_add(actor=w.regional_staff, pair=pair, data=data, today=TODAY)
        assert str(exc.value) == message
    assert Activity.objects.count() == 1


def test_who_may_log_activities(mentoring, django_user_model):
    s, w = mentoring, mentoring.world
    from core.roles import Role
    from core.services import membership_create

    pair = m.pair_create(actor=w.regional_staff, upload=pdf_upload(), data=pair_input(s),
                         today=TODAY)
    mentor_head = django_user_model.objects.create_user(username="mentor_head")
    membership_create(actor=None, user=mentor_head, role=Role.SCHOOL_COORDINATOR,
                      school=s.resilient)
    for user in (w.regional_staff, w.municipal_coordinator, w.school_coordinator, mentor_head):
        m.activity_add(actor=user, pair=pair, data=_activity(), today=TODAY)
    for user in (w.curator, w.methodist):
        with pytest.raises(PermissionDenied):
            m.activity_add(actor=user, pair=pair, data=_activity(), today=TODAY)
    assert Activity.objects.filter(pair=pair).count() == 4


def test_pair_end_keeps_the_pair_and_its_log(mentoring):
    s, w = mentoring, mentoring.world
    pair = m.pair_create(actor=w.regional_staff, upload=pdf_upload(), data=pair_input(s),
                         today=TODAY)
    m.activity_add(actor=w.regional_staff, pair=pair, data=_activity(), today=TODAY)
    with pytest.raises(m.MentoringError, match="^Укажите причину завершения пары.$"):
        m.pair_end(actor=w.regional_staff, pair=pair, end_on=TODAY, reason=" ", today=TODAY)
    with pytest.raises(m.MentoringError) as exc:
        m.pair_end(actor=w.regional_staff, pair=pair, end_on=datetime.date(2022, 4, 1),
                   reason="Школа вышла из перечня", today=TODAY)
    assert str(exc.value) == ("В журнале пары есть мероприятие 05.04.2022 — дата завершения не "
                              "может быть раньше него.")
    with pytest.raises(m.MentoringError, match="не может быть в будущем"):
        m.pair_end(actor=w.regional_staff, pair=pair, end_on=datetime.date(2022, 6, 2),
                   reason="Школа вышла из перечня", today=TODAY)
    with pytest.raises(PermissionDenied):
        m.pair_end(actor=w.school_coordinator, pair=pair, end_on=TODAY, reason="Сами",
                   today=TODAY)
    ended = m.pair_end(actor=w.municipal_coordinator, pair=pair, end_on=datetime.date(2022, 5, 20),
                       reason="Школа вышла из перечня", today=TODAY)
    ended.refresh_from_db()
    assert ended.is_ended and ended.end_on == datetime.date(2022, 5, 20)
    assert ended.end_reason == "Школа вышла из перечня"
    assert Activity.objects.filter(pair=pair).count() == 1
    entry = AuditEntry.objects.get(action="mentoring.pair.ended")
    assert entry.data == {"end_on": "2022-05-20", "reason": "Школа вышла из перечня",
                          "planned_end_on": None}
    with pytest.raises(m.MentoringError, match="^Пара уже завершена: её журнал только для "
                                               "чтения.$"):
        m.activity_add(actor=w.regional_staff, pair=pair, data=_activity(), today=TODAY)
    # the mentor's place is free again
    assert m.pair_create(actor=w.regional_staff, upload=pdf_upload(), today=TODAY,
                         data=pair_input(s, start_on=datetime.date(2022, 5, 21))).is_ended is False
