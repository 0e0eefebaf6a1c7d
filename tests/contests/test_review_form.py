"""The juror's scoring form (issue 23, «forms never lose input»): one form whose
«Сохранить и отправить оценку» saves what was typed; a refused send shows it back and
marks the form as holding unsaved input (static/js/unsaved.js asks before leaving)."""

from contests.models import Review, Score

from .test_contests import in_review  # noqa: F401  (the fixture)


def _page(client, assignment):
    response = client.get(assignment.get_absolute_url(), HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def _form(html, assignment):
    return html.split(f'action="{assignment.get_absolute_url()}"', 1)[1].split("</form>")[0]


def test_send_saves_the_typed_scores_and_comments(client, in_review):  # noqa: F811
    _, nomination, apps, jurors = in_review
    assignment = apps[0].assignments.get(juror__methodist=jurors[1])
    client.force_login(jurors[1].user)
    form = _form(_page(client, assignment), assignment)
    assert "data-unsaved-warning" in form and 'data-unsaved-warning="dirty"' not in form
    assert 'value="save"' in form and ">Сохранить и отправить оценку</button>" in form
    criteria = list(nomination.criteria.all())
    data = {"action": "submit", "comment": "Сильная практика, мало измеримых результатов."}
    for number, c in enumerate(criteria):
        data[f"score_{c.pk}"] = str(min(c.max_score, number + 3))
        data[f"note_{c.pk}"] = f"Замечание {number + 1}"
    response = client.post(assignment.get_absolute_url(), data, HTTP_HOST="localhost")
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.SUBMITTED
    assert review.comment == "Сильная практика, мало измеримых результатов."
    assert sorted(review.scores.values_list("comment", flat=True)) == sorted(
        f"Замечание {n + 1}" for n in range(len(criteria)))


def test_a_refused_send_shows_the_typed_input_back_and_saves_nothing(client,
                                                                     in_review):  # noqa: F811
    _, nomination, apps, jurors = in_review
    assignment = apps[0].assignments.get(juror__methodist=jurors[1])
    client.force_login(jurors[1].user)
    first = nomination.criteria.first()
    response = client.post(assignment.get_absolute_url(), {
        "action": "submit", f"score_{first.pk}": "3",
        f"note_{first.pk}": "Набросок, ещё не сохранённый"}, HTTP_HOST="localhost")
    body = response.content.decode()
    assert response.status_code == 400
    assert "поставьте балл" in body and "Набросок, ещё не сохранённый" in body
    assert 'data-unsaved-warning="dirty"' in _form(body, assignment)
    assert not Score.objects.exists()
    assert not Review.objects.filter(status=Review.Status.SUBMITTED).exists()
