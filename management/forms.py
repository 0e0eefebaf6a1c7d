from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from core.files import register_upload_point

EVIDENCE = register_upload_point("management.evidence",
                                 "Подтверждение значения показателя (справка, протокол)")
EVENT_RESULT = register_upload_point("management.event_result",
                                     "Итоговый документ мероприятия мониторинга")


class NumberField(forms.CharField):
    """A number as people type it: «12,5», «12.5», «12,5 %»."""

    def to_python(self, value):
        text = (super().to_python(value) or "").replace("\u00a0", "").replace(" ", "")
        text = text.rstrip("%").replace(",", ".")
        if not text:
            return None
        if len(text) > 12:
            raise forms.ValidationError("Слишком длинное число.")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Введите число, например 12,5.") from None
        if not number.is_finite():
            raise forms.ValidationError("Введите число, например 12,5.")
        return number.quantize(Decimal("0.01"))


class TargetForm(forms.Form):
    value = NumberField(label="Целевое значение")


class ValueForm(forms.Form):
    value = NumberField(label="Значение")
    note = forms.CharField(label="Откуда значение (источник, дата)", required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="Подтверждающий файл", required=False)

    clean_evidence = EVIDENCE.form_clean()


class EventDoneForm(forms.Form):
    done_on = forms.DateField(label="Дата проведения", input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                              error_messages={"invalid": "Укажите дату в формате ДД.ММ.ГГГГ.",
                                              "required": "Укажите дату проведения."})
    note = forms.CharField(label="Итог (что выявлено)", required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.FileField(label="Итоговый документ", required=False)

    clean_result = EVENT_RESULT.form_clean()


REPORT_FILE = register_upload_point("management.recommendation_report",
                                    "Подтверждение исполнения рекомендации")


class RecommendationForm(forms.Form):
    """A recommendation's addressee and content; the choices are the issuer's scope."""

    addressee = forms.ChoiceField(label="Кому", choices=())
    school = forms.ModelChoiceField(label="Школа (руководителю или школе-куратору)",
                                    queryset=None, required=False,
                                    empty_label="— выберите школу —")
    helped_school = forms.ModelChoiceField(label="Для какой школы (школе-куратору)",
                                           queryset=None, required=False,
                                           empty_label="— выберите школу —")
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None, required=False,
                                          empty_label="— выберите муниципалитет —")
    indicator = forms.ModelChoiceField(label="Показатель", queryset=None, required=False,
                                       empty_label="— без показателя —")
    risk_code = forms.CharField(label="Фактор риска (код, например R04)", required=False,
                                max_length=8)
    text = forms.CharField(label="Рекомендация", max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Напишите текст рекомендации."})
    due_on = forms.DateField(label="Срок исполнения", input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                             error_messages={"invalid": "Укажите срок в формате ДД.ММ.ГГГГ.",
                                             "required": "Укажите срок исполнения."})

    def __init__(self, *args, schools, municipalities, indicators, **kwargs):
        from .models import Recommendation

        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = Recommendation.Addressee.choices
        self.fields["school"].queryset = schools
        self.fields["helped_school"].queryset = schools
        self.fields["municipality"].queryset = municipalities
        self.fields["indicator"].queryset = indicators


class ReportForm(forms.Form):
    report = forms.CharField(label="Что сделано", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Опишите, что сделано."})
    evidence = forms.FileField(label="Подтверждающий файл", required=False)

    clean_evidence = REPORT_FILE.form_clean()


class ConclusionForm(forms.Form):
    text = forms.CharField(label="Выводы анализа", max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Напишите выводы анализа."})


DECISION_FILE = register_upload_point("management.decision",
                                      "Документ управленческого решения (приказ, протокол)")

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class DecisionForm(forms.Form):
    """A decision at the issuer's level; the choices are its scope and the year's data."""

    kind = forms.ChoiceField(label="Вид решения", choices=(),
                             error_messages={"required": "Выберите вид решения."})
    title = forms.CharField(label="Содержание решения", max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Опишите содержание решения."})
    document_type = forms.ChoiceField(label="Документ", choices=(),
                                      error_messages={"required": "Выберите вид документа."})
    number = forms.CharField(label="Номер", max_length=40,
                             error_messages={"required": "Укажите номер документа."})
    signed_on = forms.DateField(label="Дата", input_formats=DATE_FORMATS,
                                error_messages={"invalid": "Укажите дату в формате ДД.ММ.ГГГГ.",
                                                "required": "Укажите дату документа."})
    author = forms.CharField(label="Кем принято (должность, ФИО)", max_length=300,
                             error_messages={"required": "Укажите, кем принято решение."})
    municipality = forms.ModelChoiceField(label="Уровень", queryset=None, required=False,
                                          empty_label="региональный")
    indicators = forms.MultipleChoiceField(label="На какие показатели направлено",
                                           choices=(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    schools = forms.ModelMultipleChoiceField(label="Школы", queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    recommendations = forms.ModelMultipleChoiceField(
        label="Рекомендации", queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))
    file = forms.FileField(label="Файл документа",
                           error_messages={"required": "Приложите файл документа."})

    clean_file = DECISION_FILE.form_clean()

    def __init__(self, *args, municipalities, indicators, schools, recommendations,
                 regional: bool, **kwargs):
        from .models import Decision

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "— выберите —"), *Decision.Kind.choices]
        self.fields["document_type"].choices = [("", "— выберите —"),
                                                *Decision.DocumentType.choices]
        self.fields["municipality"].queryset = municipalities
        if not regional:
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None
        self.fields["indicators"].choices = [(i.code, f"{i.code}. {i.title}")
                                             for i in indicators]
        self.fields["schools"].queryset = schools
        self.fields["recommendations"].queryset = recommendations


class ProtocolForm(forms.Form):
    protocol_number = forms.CharField(label="Номер протокола", max_length=40,
                                      error_messages={"required": "Укажите номер протокола."})
    protocol_on = forms.DateField(label="Дата протокола", input_formats=DATE_FORMATS,
                                  error_messages={"invalid": "Укажите дату в формате "
                                                             "ДД.ММ.ГГГГ.",
                                                  "required": "Укажите дату протокола."})
