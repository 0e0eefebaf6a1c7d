from django import forms
from django.utils import timezone

from core.files import TABLE_KINDS, register_upload_point
from core.forms import DATE, DATE_ERRORS, uuid_choice
from roadmaps.forms import ACCEPT

from .models import WorkLogEntry

FILE_HELP = "Необязательно. PDF, Word, OpenDocument или Excel, до 25 МБ."


ORDER_FILE = register_upload_point("curators.order", "Файл приказа о закреплении кураторов")
WORKLOG_EVIDENCE = register_upload_point("curators.worklog_evidence",
                                         "Подтверждающий файл записи журнала куратора")
CURATOR_IMPORT = register_upload_point("curators.import", "Список кураторов (импорт)",
                                       TABLE_KINDS, max_mb_setting="IMPORT_MAX_MB")


def _file(label):
    return forms.FileField(label=label, required=False, help_text=FILE_HELP,
                           allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class OrderForm(forms.Form):
    number = forms.CharField(label="Номер приказа", max_length=64,
                             error_messages={"required": "Укажите номер приказа."})
    date = forms.DateField(label="Дата приказа", widget=DATE, error_messages=DATE_ERRORS)
    title = forms.CharField(label="Заголовок", max_length=500, required=False,
                            help_text="Например: «О закреплении кураторов за школами — "
                                      "участниками проекта «500+»».")
    file = _file("Файл приказа")

    clean_file = ORDER_FILE.form_clean()


class AssignTermsForm(forms.Form):
    """What the board's bulk assignment and the import share: the order and where the
    curator works."""

    order = uuid_choice("Приказ", None, required=False, empty_label="— без приказа —")
    organisation = forms.CharField(label="Организация куратора", max_length=255,
                                   required=False)

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders


class BulkAssignForm(AssignTermsForm):
    curator = uuid_choice("Куратор", None)
    schools = forms.MultipleChoiceField(
        label="Школы", choices=(),
        error_messages={"required": "Отметьте хотя бы одну школу.",
                        "invalid_choice": "Школа не найдена среди школ без куратора: "
                                          "обновите страницу."})
    unit = forms.CharField(label="Подразделение", max_length=255, required=False)
    starts_on = forms.DateField(label="Действует с", widget=DATE, required=False,
                                error_messages=DATE_ERRORS,
                                help_text="Пусто — с даты приказа (или с сегодняшнего дня).")
    co_curator = forms.BooleanField(label="Сокуратор (второй куратор школы)", required=False)
    accept_conflict = forms.BooleanField(
        label="Назначить, несмотря на конфликт интересов", required=False,
        help_text="Отметьте, только если проверка нашла конфликт и вы осознанно его "
                  "принимаете: это попадёт в журнал действий.")

    def __init__(self, *args, orders, curators, schools, **kwargs):
        super().__init__(*args, orders=orders, **kwargs)
        self.fields["curator"].queryset = curators
        self.fields["curator"].label_from_instance = lambda u: u.short_name
        self.fields["schools"].choices = [(str(s.public_id), s.short_name) for s in schools]


class EndForm(forms.Form):
    ends_on = forms.DateField(label="Дата окончания", widget=DATE, required=False,
                              error_messages=DATE_ERRORS, help_text="Пусто — сегодня.")


class AffiliationForm(forms.Form):
    municipality = uuid_choice("Муниципалитет", None)
    school = uuid_choice("Школа", None, required=False,
                          empty_label="— орган управления образованием муниципалитета —")
    position = forms.CharField(label="Должность", max_length=255, required=False)

    def __init__(self, *args, municipalities, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = (
            lambda s: f"{s.short_name} ({s.municipality.name})")


class CuratorImportForm(AssignTermsForm):
    file = forms.FileField(
        label="Файл со списком кураторов",
        help_text="Excel или CSV: куратор (ФИО), подразделение, должность, количество школ, "
                  "территории через «;». До применения вы увидите, кому какие школы "
                  "достанутся.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.tsv"}),
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."})

    clean_file = CURATOR_IMPORT.form_clean()


class LogForm(forms.Form):
    date = forms.DateField(label="Дата", widget=DATE, error_messages=DATE_ERRORS)
    kind = forms.ChoiceField(label="Вид работы", choices=WorkLogEntry.Kind.choices,
                             error_messages={"required": "Выберите вид работы."})
    school = uuid_choice("Школа", None, required=False,
                          empty_label="— все закреплённые школы —")
    minutes = forms.IntegerField(label="Длительность, минут", min_value=1, max_value=1440,
                                 error_messages={
                                     "required": "Укажите длительность в минутах.",
                                     "invalid": "Длительность — целое число минут.",
                                     "min_value": "Длительность — не меньше 1 минуты.",
                                     "max_value": "Длительность — не больше 1440 минут "
                                                  "(суток)."})
    text = forms.CharField(label="Что сделано", max_length=3000, widget=forms.Textarea(
        attrs={"rows": 3}), error_messages={"required": "Опишите, что сделано.",
                                            "max_length": "Не больше 3000 знаков."})
    evidence = _file("Подтверждающий файл")

    clean_evidence = WORKLOG_EVIDENCE.form_clean()

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["date"].initial = timezone.localdate()


class LogFilterForm(forms.Form):
    date_from = forms.DateField(label="С", widget=DATE, required=False,
                                error_messages=DATE_ERRORS)
    date_to = forms.DateField(label="По", widget=DATE, required=False,
                              error_messages=DATE_ERRORS)
    kind = forms.ChoiceField(label="Вид работы", required=False,
                             choices=[("", "все")] + list(WorkLogEntry.Kind.choices))
    curator = uuid_choice("Куратор", None, required=False, empty_label="все кураторы")

    def __init__(self, *args, curators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators
        self.fields["curator"].label_from_instance = lambda u: u.short_name


class ReportForm(forms.Form):
    date_from = forms.DateField(label="Период с", widget=DATE, error_messages=DATE_ERRORS)
    date_to = forms.DateField(label="по", widget=DATE, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to"):
            if data["date_from"] > data["date_to"]:
                raise forms.ValidationError("Начало периода позже его конца.")
        return data


class SheetForm(forms.Form):
    """One points field and one comment per criterion of the year's sheet."""

    comment = forms.CharField(label="Заключение эксперта", required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_scores = initial_scores or {}
        for c in self.criteria:
            points, comment = initial_scores.get(c.pk, (None, ""))
            self.fields[f"points_{c.pk}"] = forms.IntegerField(
                label=f"{c.position}. {c.title}", required=False, initial=points,
                widget=forms.NumberInput(attrs={"min": c.min_points, "max": c.max_points}),
                error_messages={"invalid": "Балл — целое число."})
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label="Комментарий", required=False, max_length=1000, initial=comment)

    def rows(self):
        return [(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.pk: (self.cleaned_data[f"points_{c.pk}"],
                       self.cleaned_data.get(f"comment_{c.pk}", ""))
                for c in self.criteria if self.cleaned_data.get(f"points_{c.pk}") is not None}
