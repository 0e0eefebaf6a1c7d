from __future__ import annotations

from django import forms
from django.conf import settings

from .models import Document, DocumentKind
from .services import COMMENT_MAX, NOTE_MAX, DocumentError, Upload, upload_check

ACCEPT = ".pdf,.docx,.doc,.odt,.xlsx"


class VersionForm(forms.Form):
    """A file and its note; the file is checked by its bytes (``services.upload_check``)."""

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

    def clean_file(self) -> Upload:
        f = self.cleaned_data["file"]
        try:
            return upload_check(f, f.name, f.size)
        except DocumentError as exc:
            raise forms.ValidationError(str(exc))

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


class DocumentFilter(forms.Form):
    q = forms.CharField(label="Школа", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "название или логин"}))
    year = forms.TypedChoiceField(label="Год", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Статус", required=False,
                               choices=[("", "все")] + list(Document.Status.choices))
    kind = forms.ChoiceField(label="Вид документа", required=False)
    municipality = forms.ChoiceField(label="Муниципалитет", required=False)

    def __init__(self, *args, years, kinds, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "все")] + [(y, y) for y in years]
        self.fields["kind"].choices = [("", "все")] + [(c, t) for c, t in kinds]
        self.fields["municipality"].choices = [("", "все")] + [
            (str(m.public_id), m.name) for m in municipalities]
        if len(municipalities) <= 1:
            del self.fields["municipality"]
