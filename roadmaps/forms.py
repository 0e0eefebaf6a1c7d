from __future__ import annotations

from django import forms
from django.conf import settings

from core.files import TABLE_KINDS, register_upload_point
from core.years import year_field

from .models import DocumentKind, PlanStage, Roadmap
from .services import COMMENT_MAX, NOTE_MAX

ACCEPT = ".pdf,.docx,.doc,.odt,.xlsx"
DOCUMENT_VERSION = register_upload_point("roadmaps.document_version", "Версия документа школы")
MEASURE_EVIDENCE = register_upload_point("roadmaps.measure_evidence",
                                         "Подтверждающий документ мероприятия дорожной карты")
PLAN_IMPORT = register_upload_point("roadmaps.plan_import",
                                    "Таблица мероприятий дорожной карты (импорт)", TABLE_KINDS,
                                    max_mb_setting="IMPORT_MAX_MB")


class VersionForm(forms.Form):
    """A file and its note; the file is checked by its bytes (``DOCUMENT_VERSION``)."""

    file = forms.FileField(label="Файл документа", error_messages={
        "required": "Выберите файл документа.",
        "empty": "Файл пустой (0 байт). Выберите файл документа ещё раз.",
        "invalid": "Файл не получен. Выберите его ещё раз.",
    }, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}), allow_empty_file=True)
    note = forms.CharField(label="Примечание к версии (что изменено)", required=False,
                           max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": "Примечание длиннее %(limit_value)d "
                                                         "знаков."})
    submit = forms.BooleanField(label="Сразу отправить куратору на проверку", required=False,
                                initial=True)

    clean_file = DOCUMENT_VERSION.form_clean()

    @property
    def help_text(self) -> str:
        return (f"PDF, Word (.docx, .doc), OpenDocument (.odt) или Excel (.xlsx), до "
                f"{settings.DOCUMENT_MAX_MB} МБ.")


class NewDocumentForm(VersionForm):
    """The first upload of a document of a school-year: which kind (and which risk)."""

    kind = forms.ChoiceField(label="Вид документа")
    risk = forms.ChoiceField(label="Риск (для антирисковой программы)", required=False)
    title = forms.CharField(label="Название (для отчётов и иных документов)", required=False,
                            max_length=255)

    field_order = ["kind", "risk", "title", "file", "note", "submit"]

    def __init__(self, *args, kinds: list[DocumentKind], risks: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {k.code: k for k in kinds}
        self.risks = {r.code: r for r in risks}
        self.fields["kind"].choices = [("", "— выберите —")] + [(k.code, k.title) for k in kinds]
        self.fields["kind"].error_messages["required"] = "Выберите вид документа."
        self.fields["kind"].error_messages["invalid_choice"] = "Такого вида документа нет."
        self.fields["risk"].choices = [("", "—")] + [(r.code, f"{r.code}. {r.title}")
                                                     for r in risks]
        self.fields["risk"].error_messages["invalid_choice"] = (
            "Этот риск не активирован в риск-профиле школы.")

    def clean(self):
        data = super().clean()
        kind = self.kinds.get(data.get("kind") or "")
        if kind is None:
            return data
        data["kind"] = kind
        risk = self.risks.get(data.get("risk") or "")
        if kind.mode == DocumentKind.Mode.PER_RISK and risk is None:
            self.add_error("risk", "Выберите риск, которому посвящена программа.")
        data["risk"] = risk if kind.mode == DocumentKind.Mode.PER_RISK else None
        return data


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Подтвердить"),
                                        ("return", "Вернуть на доработку")])
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reasons = forms.MultipleChoiceField(label="Причины возврата", required=False,
                                        widget=forms.CheckboxSelectMultiple)
    comment = forms.CharField(label="Комментарий для школы", required=False,
                              max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": "Комментарий длиннее "
                                                            "%(limit_value)d знаков."})

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_objects = {str(r.pk): r for r in reasons}
        self.fields["reasons"].choices = [(str(r.pk), r.title) for r in reasons]
        self.fields["reasons"].error_messages["invalid_choice"] = "Такой причины возврата нет."

    def clean_reasons(self):
        return [self.reason_objects[pk] for pk in self.cleaned_data["reasons"]]

    def clean(self):
        data = super().clean()
        if data.get("action") == "return":
            if not data.get("reasons") and "reasons" not in self.errors:
                self.add_error("reasons", "Отметьте хотя бы одну причину возврата.")
            if not (data.get("comment") or "").strip() and "comment" not in self.errors:
                self.add_error("comment", "Напишите комментарий для школы: что именно "
                                          "исправить.")
        return data


class SchoolActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", "Отправить"), ("withdraw", "Отозвать")])


class CommentForm(forms.Form):
    body = forms.CharField(label="Ваш комментарий", max_length=COMMENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Комментарий пустой.",
                                           "max_length": "Комментарий длиннее %(limit_value)d "
                                                         "знаков."})


# -- roadmaps, measures and the plan-schedule ----------------------------------------------------
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_ERRORS = {"invalid": "Дата не распознана: укажите её в виде ДД.ММ.ГГГГ."}
_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_DATE,
                           input_formats=_DATE_FORMATS,
                           error_messages={**_DATE_ERRORS,
                                           "required": f"Укажите: {label.lower()}."})


def _choices_by_public_id(objects, label=str, empty="—") -> list[tuple[str, str]]:
    return [("", empty)] + [(str(o.public_id), label(o)) for o in objects]


class RoadmapCreateForm(forms.Form):
    """A new regional or municipal roadmap (by hand, or from a file)."""

    level = forms.ChoiceField(label="Уровень", choices=[
        (Roadmap.Level.REGION, "региональная"), (Roadmap.Level.MUNICIPALITY, "муниципальная")],
        error_messages={"required": "Выберите уровень дорожной карты."})
    municipality = forms.ChoiceField(label="Муниципалитет (для муниципальной)", required=False)
    title = forms.CharField(label="Название", max_length=255,
                            error_messages={"required": "Укажите название дорожной карты."})
    start_year = year_field("Первый год", error_messages={"required": "Укажите первый год."})
    end_year = year_field("Последний год", error_messages={"required": "Укажите последний год."})

    def __init__(self, *args, municipalities, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.public_id): m for m in municipalities}
        self.fields["municipality"].choices = _choices_by_public_id(municipalities,
                                                                    lambda m: m.name)
        if levels is not None:
            self.fields["level"].choices = [c for c in self.fields["level"].choices
                                            if c[0] in levels]

    def clean(self):
        data = super().clean()
        data["municipality"] = self.municipalities.get(data.get("municipality") or "")
        if data.get("level") == Roadmap.Level.MUNICIPALITY and data["municipality"] is None:
            self.add_error("municipality", "Выберите муниципалитет.")
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "Последний год раньше первого.")
        return data


class RoadmapImportForm(RoadmapCreateForm):
    file = forms.FileField(label="Таблица мероприятий (Excel или CSV/TSV)", error_messages={
        "required": "Выберите файл с мероприятиями.",
        "empty": "Файл пустой (0 байт).",
    }, widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.tsv,.txt"}))
    existing = forms.ChoiceField(
        label="Если такая дорожная карта уже есть", required=False, initial="update",
        choices=[("update", "Обновить существующую дорожную карту"),
                 ("create", "Создать новую дорожную карту")],
        help_text="Такая же — того же уровня, территории и периода. При обновлении мероприятия "
                  "сопоставляются, отметки о выполнении сохраняются; вторая копия не создаётся.")

    clean_file = PLAN_IMPORT.form_clean()


class SectionForm(forms.Form):
    number = forms.CharField(label="Номер", max_length=16, required=False)
    title = forms.CharField(label="Название раздела", max_length=2000,
                            error_messages={"required": "Укажите название раздела."})


class ItemForm(forms.Form):
    section = forms.ChoiceField(label="Раздел", required=False)
    risk = forms.ChoiceField(label="Риск, на который направлено мероприятие", required=False)
    number = forms.CharField(label="№", max_length=16, required=False)
    activity = forms.CharField(label="Мероприятие", max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Опишите мероприятие.",
                                               "max_length": "Описание длиннее %(limit_value)d "
                                                             "знаков."})
    deadline_text = forms.CharField(
        label="Срок (как в документе)", max_length=255, required=False,
        help_text="Например: «март 2022», «01.04.2022 – 12.04.2022», «ежегодно, сентябрь», "
                  "«2021–2023». Если срок не распознан, укажите даты ниже.")
    due_start = _date_field("Начало срока")
    due_end = _date_field("Окончание срока")
    responsible = forms.CharField(label="Ответственные", max_length=2000, required=False)
    responsible_user = forms.ChoiceField(label="Кому напоминать о сроке", required=False)
    expected_result = forms.CharField(label="Ожидаемый результат", max_length=4000,
                                      required=False, widget=forms.Textarea(attrs={"rows": 2}))
    stage = forms.ChoiceField(label="Этап план-графика", required=False)
    evidence_required = forms.BooleanField(label="Нужен подтверждающий документ",
                                           required=False)

    def __init__(self, *args, sections, risks, stages, users, school_level: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = {
            "section": {str(s.pk): s for s in sections},
            "risk": {r.code: r for r in risks},
            "stage": {str(s.public_id): s for s in stages},
            "responsible_user": {str(u.public_id): u for u in users},
        }
        self.fields["section"].choices = [("", "без раздела")] + [
            (str(s.pk), str(s)[:90]) for s in sections]
        self.fields["risk"].choices = [("", "—")] + [(r.code, f"{r.code}. {r.title}")
                                                     for r in risks]
        self.fields["stage"].choices = _choices_by_public_id(
            stages, lambda s: f"{s.title} (до {s.due_on:%d.%m.%Y})")
        self.fields["responsible_user"].choices = _choices_by_public_id(
            users, lambda u: u.short_name, empty="ответственные за дорожную карту")
        for name, message in (("risk", "Этот риск не активирован в риск-профиле школы."),
                              ("section", "Такого раздела нет."),
                              ("stage", "Такого этапа нет."),
                              ("responsible_user", "Такого пользователя нет.")):
            self.fields[name].error_messages["invalid_choice"] = message
        if school_level:
            # a school's measure is always confirmed by the curator on its evidence
            del self.fields["evidence_required"]
            if not sections:
                del self.fields["section"]
        else:
            del self.fields["risk"]

    def clean(self):
        data = super().clean()
        for name, objects in self.lookup.items():
            if name in self.fields:
                data[name] = objects.get(data.get(name) or "")
        if (data.get("due_start") is None) != (data.get("due_end") is None):
            self.add_error("due_end", "Укажите обе даты срока или ни одной.")
        elif data.get("due_start") and data["due_start"] > data["due_end"]:
            self.add_error("due_end", "Окончание срока раньше начала.")
        if not (data.get("deadline_text") or "").strip() and not data.get("due_start") \
                and "due_end" not in self.errors:
            self.add_error("deadline_text", "Укажите срок текстом или датами.")
        return data


class CompleteForm(forms.Form):
    done_on = _date_field("Дата выполнения", required=True)
    note = forms.CharField(label="Отметка о выполнении (что сделано)", max_length=4000,
                           required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Подтверждающий документ", required=False, error_messages={
        "empty": "Файл пустой (0 байт). Выберите файл ещё раз.",
        "invalid": "Файл не получен. Выберите его ещё раз.",
    }, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}), allow_empty_file=True)

    clean_file = MEASURE_EVIDENCE.form_clean()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Причина", max_length=500,
                             error_messages={"required": "Укажите причину."})


class StageForm(forms.Form):
    title = forms.CharField(label="Этап", max_length=255,
                            error_messages={"required": "Укажите название этапа."})
    due_on = _date_field("Срок", required=True)
    rule = forms.ChoiceField(label="Как проверяется", choices=PlanStage.Rule.choices)
    kind_code = forms.ChoiceField(label="Вид документа (для проверки по документам)",
                                  required=False)
    position = forms.IntegerField(label="Порядок", min_value=0, max_value=999, required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind_code"].choices = [("", "—")] + [(k.code, k.title) for k in kinds]
        self.fields["kind_code"].error_messages["invalid_choice"] = "Такого вида документа нет."

    def clean(self):
        data = super().clean()
        if data.get("rule") == PlanStage.Rule.DOCUMENTS and not data.get("kind_code"):
            self.add_error("kind_code", "Выберите вид документа, который должен быть "
                                        "подтверждён.")
        return data
