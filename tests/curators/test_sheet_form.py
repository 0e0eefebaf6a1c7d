"""The curator's expertise sheet (issue 23, «forms never lose input»): one form whose
«Сохранить и опубликовать» saves what was typed; a refused publication shows it back and
marks the form as holding unsaved input (static/js/unsaved.js asks before leaving)."""

from django.urls import reverse

from curators.models import ExpertiseSheet
from tests.forms import form_fields


def _form(html, url):
    return html.split(f'action="{url}"', 1)[1].split("</form>")[0]


def test_publish_saves_the_typed_scores_comments_and_conclusion(client, world_a, scheme):
    client.force_login(world_a.curator)
    url = reverse("curators:sheet", args=[world_a.school1.public_id, 2022])
    html = client.get(url).content.decode()
    form = _form(html, url)
    assert "data-unsaved-warning" in form and 'data-unsaved-warning="dirty"' not in form
    assert 'value="save"' in form and ">Сохранить и опубликовать</button>" in form
    fields = form_fields(html, url)
    for c in scheme.criteria.all():
        fields[f"points_{c.pk}"] = "1"
        fields[f"comment_{c.pk}"] = f"Критерий {c.position}: есть замечания"
    fields["comment"] = "Документы требуют доработки по разделу мониторинга."
    assert client.post(url, {**fields, "action": "publish"}).status_code == 302
    sheet = ExpertiseSheet.objects.get()
    assert sheet.status == ExpertiseSheet.Status.PUBLISHED
    assert sheet.comment == "Документы требуют доработки по разделу мониторинга."
    assert {s.comment for s in sheet.scores.all()} == {
        f"Критерий {c.position}: есть замечания" for c in scheme.criteria.all()}


def test_a_refused_publication_shows_the_typed_input_back(client, world_a, scheme):
    client.force_login(world_a.curator)
    url = reverse("curators:sheet", args=[world_a.school1.public_id, 2022])
    fields = form_fields(client.get(url).content.decode(), url)
    first = scheme.criteria.first()
    fields.update({f"points_{first.pk}": "5", "comment": "Черновик заключения, не сохранён"})
    response = client.post(url, {**fields, "action": "publish"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Черновик заключения, не сохранён" in body
    assert 'data-unsaved-warning="dirty"' in _form(body, url)
    assert not ExpertiseSheet.objects.exists()
