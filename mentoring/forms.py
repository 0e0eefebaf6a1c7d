from __future__ import annotations

import re

from django import forms

from core.files import register_upload_point

from .models import Activity

AGREEMENT = register_upload_point("mentoring.agreement",
                                  "Соглашение о сетевом взаимодействии (сетевая пара)")
EVIDENCE = register_upload_point("mentoring.activity_evidence",
                                 "Подтверждение совместного мероприятия сетевой пары")

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
_CODE = re.compile(r"^[A-Za-zА-Яа-я0-9]{1,8}$")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           error_messages={"invalid": "Укажите дату в формате ДД.ММ.ГГГГ.",
                                           "required": f"Укажите: {label.lower()}."})


class CodesField(forms.MultipleChoiceField):
    """Risk factor codes as sent: their meaning (activated or not) is the service's to
    judge, so a refused code gets its own message rather than «not one of the choices»."""

    def valid_value(self, value) -> bool:
        return bool(_CODE.match(str(value)))


class SchoolPickForm(forms.Form):
    """Step one of a new pair: the programme school (the page's choices are the user's)."""

    school = forms.ModelChoiceField(label="Школа перечня (ШНОР или ШССУ)", queryset=None,
                                    to_field_name="public_id",
                                    empty_label="— выберите школу —",
                                    error_messages={"required": "Выберите школу.",
                                                    "invalid_choice": "Выберите школу из "
                                                                      "списка."})

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class PairForm(forms.Form):
    mentor = forms.ModelChoiceField(label="Школа-наставник", queryset=None,
                                    to_field_name="public_id",
                                    error_messages={"required": "Выберите школу-наставника.",
                                                    "invalid_choice": "Такой школы в регионе "
                                                                      "нет."})
    start_on = _date("Начало")
    end_on = _date("Окончание (если известно)", required=False)
    agreement_number = forms.CharField(label="Номер соглашения", max_length=64,
                                       error_messages={"required": "Укажите номер "
                                                                   "соглашения."})
    agreement_date = _date("Дата соглашения")
    agreement = forms.FileField(label="Соглашение (файл)", required=False)
    areas = CodesField(label="Направления помощи", required=False)

    clean_agreement = AGREEMENT.form_clean()

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class EndForm(forms.Form):
    end_on = _date("Дата завершения")
    reason = forms.CharField(label="Причина", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Укажите причину завершения пары."})
    confirm = forms.BooleanField(label="Подтверждаю: пара завершается, её журнал остаётся "
                                       "для чтения",
                                 error_messages={"required": "Подтвердите завершение пары."})


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=Activity.Kind.choices,
                             error_messages={"required": "Выберите вид мероприятия.",
                                             "invalid_choice": "Выберите вид мероприятия из "
                                                               "списка."})
    held_on = _date("Дата")
    title = forms.CharField(label="Тема", max_length=500,
                            error_messages={"required": "Укажите тему мероприятия."})
    participants = forms.CharField(label="Участники (кто от каждой школы)", required=False,
                                   max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    participants_count = forms.IntegerField(
        label="Число участников", min_value=1, max_value=10000,
        error_messages={"required": "Укажите число участников.",
                        "invalid": "Число участников — целое число.",
                        "min_value": "Число участников — не меньше одного.",
                        "max_value": "Слишком большое число участников."})
    evidence = forms.FileField(label="Подтверждение (необязательно)", required=False)

    clean_evidence = EVIDENCE.form_clean()
