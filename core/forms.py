from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

#: A date picker that posts ISO dates; the message when the date cannot be read.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Введите дату в формате ДД.ММ.ГГГГ.", "required": "Укажите дату."}


#: A region is picked everywhere by its public code — the subject number, «61».
REGION_KEY = "code"


def region_choice(label="Регион", queryset=None, **kwargs):
    """A choice of one of the user's regions by its code (the subject number); a code of a
    region outside ``queryset`` is refused as any unknown value is («Выберите корректный
    вариант»)."""
    return forms.ModelChoiceField(label=label, queryset=queryset, to_field_name=REGION_KEY,
                                  error_messages={"required": "Выберите регион."}, **kwargs)


def uuid_choice(label, queryset, **kwargs):
    """A choice of a scoped queryset's object by its public id (never the database id)."""
    return forms.ModelChoiceField(label=label, queryset=queryset, to_field_name="public_id",
                                  error_messages={"invalid_choice": "Выберите значение из "
                                                                    "списка.",
                                                  "required": "Выберите значение."},
                                  **kwargs)


class LoginForm(AuthenticationForm):
    """One message for every failure: it never says which part was wrong."""

    username = forms.CharField(
        label="Логин или электронная почта", max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Пароль", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Неверный логин или пароль.",
        "inactive": "Неверный логин или пароль.",
    }


class PortalPasswordChangeForm(PasswordChangeForm):
    """The current password is checked at most AXES_FAILURE_LIMIT times per cool-off, and
    every wrong one is audited (core.services.password_check_failed)."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Текущий пароль введён неверно.",
        "check_blocked": "Слишком много неверных попыток ввести текущий пароль. Смена "
                         "пароля заблокирована на час; если вы забыли пароль, обратитесь "
                         "к администратору портала.",
    }

    def clean_old_password(self):
        from .services import password_check_blocked, password_check_failed

        if password_check_blocked(self.user):
            raise forms.ValidationError(self.error_messages["check_blocked"],
                                        code="check_blocked")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            if password_check_failed(user=self.user):
                raise forms.ValidationError(self.error_messages["check_blocked"],
                                            code="check_blocked") from None
            raise


def form_submit(request, form, action, message, *, to=None):
    """The shared end of a form page: when the POSTed ``form`` is valid, call ``action``
    (a service) with its cleaned data; a ``DomainError`` becomes the form's error, success
    a message and a redirect to the result (or ``to(result)``). ``None``: show the form."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .exceptions import DomainError

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, message(result) if callable(message) else message)
    return redirect(to(result) if to else result)


def form_page(request, template: str, context: dict):
    """The form page, answered 400 when the form came back with errors."""
    from django.shortcuts import render

    return render(request, template, context, status=400 if context["form"].errors else 200)


class NotificationSettingsForm(forms.Form):
    """One choice per kind of notification the user receives: field ``kind_<n>`` for the
    n-th kind (a kind's code has dots, a field name should not); ``channels()`` maps the
    choices back to the codes."""

    def __init__(self, kinds, current: dict[str, str], *args, **kwargs):
        from .models import NotificationChannel

        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        for n, kind in enumerate(self.kinds):
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=kind.label, choices=NotificationChannel.choices,
                initial=current.get(kind.code, kind.default), widget=forms.RadioSelect,
                error_messages={"required": "Выберите, как получать эти уведомления.",
                                "invalid_choice": "Выберите один из вариантов."})
            self.fields[f"kind_{n}"].group = kind.group

    def groups(self):
        """The bound fields by the kinds' group, in the kinds' order: [(group, [field])]."""
        out: list[tuple[str, list]] = []
        for n, kind in enumerate(self.kinds):
            if not out or out[-1][0] != kind.group:
                out.append((kind.group, []))
            out[-1][1].append(self[f"kind_{n}"])
        return out

    def channels(self) -> dict[str, str]:
        return {kind.code: self.cleaned_data[f"kind_{n}"] for n, kind in enumerate(self.kinds)}
