"""The pages: the list, the «new pair» page with its suggestions, the pair page and its
forms; other region → 404, a role without the right → 403, GET on a mutation → 405."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import build_world
from mentoring import services as m
from mentoring.models import Activity, Pair
from tests.files import pdf_bytes
from tests.mentoring.conftest import pair_input, pdf_upload


def _pair(s):
    return m.pair_create(actor=s.world.regional_staff, upload=pdf_upload("Соглашение.pdf"),
                         data=pair_input(s, areas=("R01", "R04")))


def _new_url(s, school=None):
    url = f"{reverse('mentoring:pair_new')}?region=61&year=2022"
    return f"{url}&school={(school or s.school).public_id}"


def _post_data(s, **changes):
    data = {"mentor": str(s.resilient.public_id), "start_on": "01.03.2022",
            "agreement_number": "СП-7", "agreement_date": "20.02.2022", "areas": ["R01"],
            "agreement": SimpleUploadedFile("Соглашение.pdf", pdf_bytes("agreement"))}
    data.update(changes)
    return data


def test_list_shows_pairs_filters_and_an_empty_state(client, mentoring):
    s = mentoring
    client.force_login(s.world.regional_staff)
    url = reverse("mentoring:pairs")
    empty = client.get(url).content.decode()
    assert "Сетевых пар 2022 г. пока нет." in empty
    assert 'href="/mentoring/new/?region=61&amp;year=2022"' in empty
    pair = _pair(s)
    page = client.get(url).content.decode()
    assert pair.get_absolute_url() in page and "Резильентная a" in page
    assert "R01, R04" in page
    ended = client.get(url + "?region=61&year=2022&status=ended").content.decode()
    assert "Пар с таким отбором нет." in ended
    found = client.get(url + "?region=61&year=2022&q=Резильент").content.decode()
    assert pair.get_absolute_url() in found
    other = client.get(url + f"?region=61&year=2022&municipality={s.world.other_municipality.pk}")
    assert pair.get_absolute_url() not in other.content.decode()
    assert client.get(url + "?region=61&year=2021").status_code == 200


def test_list_for_roles(client, mentoring):
    s, w = mentoring, mentoring.world
    pair = _pair(s)
    for user in (w.curator, w.school_coordinator, w.municipal_coordinator):
        client.force_login(user)
        page = client.get(reverse("mentoring:pairs"))
        assert page.status_code == 200 and pair.get_absolute_url() in page.content.decode()
    client.force_login(w.methodist)
    assert client.get(reverse("mentoring:pairs")).status_code == 403
    client.logout()
    assert client.get(reverse("mentoring:pairs"))["Location"].startswith(reverse("login"))


def test_new_pair_page_suggests_and_creates(client, mentoring):
    s = mentoring
    client.force_login(s.world.regional_staff)
    first = client.get(f"{reverse('mentoring:pair_new')}?region=61&year=2022").content.decode()
    assert "Школа a1" in first and "Резильентная a" not in first  # step one: pick a school
    page = client.get(_new_url(s)).content.decode()
    assert ("резильентная школа того же муниципалитета; ИОР 0,82 — выше, чем у 1 из 3 "
            "кандидатов; ИСБ близок к ИСБ школы (0,41 и 0,38); пар: 0 из 3") in page
    assert "R04 —" in page and "R02 —" not in page  # only the activated risks are offered
    assert "не больше 3\u00a0действующих пар" in page
    response = client.post(_new_url(s), _post_data(s))
    pair = Pair.objects.get()
    assert response.status_code == 302 and response["Location"] == pair.get_absolute_url()
    assert (pair.mentor, pair.agreement_number, pair.areas) == (s.resilient, "СП-7", ["R01"])


def test_new_pair_refusals_show_the_message_and_write_nothing(client, mentoring):
    s = mentoring
    client.force_login(s.world.regional_staff)
    cases = (
        (_post_data(s, mentor=str(s.struggling.public_id)),
         "«Несправляющаяся a» в 2022 г. не относится к эффективным или резильентным школам"),
        (_post_data(s, mentor=str(s.school.public_id)),
         "Школа не может быть наставником самой себе"),
        (_post_data(s, areas=["R02"]), "Фактор риска R02 не активирован в риск-профиле"),
        (_post_data(s, agreement=""), "Приложите соглашение о сетевом взаимодействии"),
        (_post_data(s, agreement=SimpleUploadedFile("Соглашение.pdf", b"GIF89a not a pdf")),
         "Имя файла оканчивается на .pdf"),
    )
    for data, message in cases:
        response = client.post(_new_url(s), data)
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert Pair.objects.count() == 0


def test_new_pair_for_another_regions_school_is_404(client, mentoring):
    s = mentoring
    world_b = build_world(66, "Свердловская область", "b")
    client.force_login(s.world.regional_staff)
    assert client.get(_new_url(s, world_b.school1)).status_code == 404
    assert client.post(_new_url(s, world_b.school1), _post_data(s)).status_code == 404
    assert client.get(f"{reverse('mentoring:pair_new')}?region=66").status_code == 404
    # a municipal coordinator: a school of another municipality is not on its list
    client.force_login(s.world.municipal_coordinator)
    assert client.get(_new_url(s, s.world.school_other)).status_code == 404
    client.force_login(s.world.school_coordinator)
    assert client.get(_new_url(s)).status_code == 403
    assert Pair.objects.count() == 0


def test_pair_page_agreement_and_forms(client, mentoring):
    s, w = mentoring, mentoring.world
    pair = _pair(s)
    client.force_login(w.regional_staff)
    page = client.get(pair.get_absolute_url()).content.decode()
    assert "R04 — " in page and "№ СП-12 от 20.02.2022" in page
    assert reverse("mentoring:activity_add", args=[pair.public_id]) in page
    assert reverse("mentoring:pair_end", args=[pair.public_id]) in page
    download = client.get(reverse("mentoring:pair_agreement", args=[pair.public_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(w.curator)
    page = client.get(pair.get_absolute_url()).content.decode()
    assert reverse("mentoring:activity_add", args=[pair.public_id]) not in page
    assert client.get(reverse("mentoring:pair_agreement", args=[pair.public_id])).status_code == 200
    client.force_login(w.methodist)
    assert client.get(pair.get_absolute_url()).status_code == 404
    assert client.get(reverse("mentoring:pair_end", args=[pair.public_id])).status_code == 405


def test_activity_add_view(client, mentoring):
    s, w = mentoring, mentoring.world
    pair = _pair(s)
    url = reverse("mentoring:activity_add", args=[pair.public_id])
    client.force_login(w.school_coordinator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"kind": "visit", "held_on": tomorrow.strftime("%d.%m.%Y"), "title": "Посещение уроков",
            "participants": "директор, завуч", "participants_count": "2"}
    response = client.post(url, data, follow=True)
    assert "Дата мероприятия не может быть в будущем" in response.content.decode()
    assert Activity.objects.count() == 0
    data["held_on"] = "15.04.2022"
    data["evidence"] = SimpleUploadedFile("Справка.pdf", pdf_bytes("visit"))
    page = client.post(url, data, follow=True).content.decode()
    activity = Activity.objects.get()
    assert "Мероприятие внесено в журнал: Посещение уроков." in page
    assert "2\u00a0участника" in page
    evidence = client.get(reverse("mentoring:activity_evidence", args=[activity.public_id]))
    assert evidence.status_code == 200
    client.force_login(w.curator)
    assert client.post(url, data).status_code == 403


def test_pair_end_view_needs_the_confirmation(client, mentoring):
    s, w = mentoring, mentoring.world
    pair = _pair(s)
    url = reverse("mentoring:pair_end", args=[pair.public_id])
    today = timezone.localdate().strftime("%d.%m.%Y")
    client.force_login(w.school_coordinator)
    assert client.post(url, {"end_on": today, "reason": "x", "confirm": "on"}).status_code == 403
    client.force_login(w.regional_staff)
    page = client.post(url, {"end_on": today, "reason": "Цели достигнуты"}, follow=True)
    assert "Подтвердите завершение пары." in page.content.decode()
    pair.refresh_from_db()
    assert not pair.is_ended
    page = client.post(url, {"end_on": today, "reason": "Цели достигнуты", "confirm": "on"},
                       follow=True).content.decode()
    pair.refresh_from_db()
    assert pair.is_ended and "Пара завершена; её журнал сохранён." in page
    assert "журнал только для чтения" in page
    assert reverse("mentoring:pair_end", args=[pair.public_id]) not in page
