from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

#: A date picker that posts ISO dates; the message when the date cannot be read.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Введите дату в формате ДД.ММ.ГГГГ.", "required": "Укажите дату."}


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
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Текущий пароль введён неверно.",
    }
