"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def ru_plural(value, forms: str) -> str:
    """The Russian noun form for a number: ``{{ n|ru_plural:"школа,школы,школ" }}``."""
    from core.text import plural

    one, few, many = (f.strip() for f in forms.split(","))
    try:
        return plural(int(value), one, few, many)
    except (TypeError, ValueError):
        return many


def _number(value):
    if isinstance(value, (list, tuple, set, dict)) or hasattr(value, "count") and \
            hasattr(value, "model"):
        return len(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return float(str(value).replace(",", "."))
        except (TypeError, ValueError):
            return None


@register.filter
def count(value, noun: str) -> str:
    """A number with its noun agreed (pymorphy3): ``{{ n|count:"школа" }}`` → «5 школ»,
    ``{{ n|count:"просроченное мероприятие" }}`` → «21 просроченное мероприятие»; a phrase
    may go on after its head noun («школа без профиля»). ``noun:case`` puts the phrase in
    a case: ``{{ n|count:"муниципалитет:loct" }}`` → «в 5 муниципалитетах». A list or
    queryset counts its items. Number and noun are joined by a non-breaking space.
    ``noun;predicate`` adds what is said of them, agreed too: ``{{ n|count:"строка;
    пропущен" }}`` → «1 строка пропущена», «2 строки пропущены», «5 строк пропущено»."""
    from core.text import count_phrase

    noun, _, predicate = noun.partition(";")
    noun, _, case = noun.partition(":")
    n = _number(value)
    if n is None:
        return f"{value}\u00a0{noun}"
    return count_phrase(n, noun, case=case or "nomn", sep="\u00a0") + _said(n, noun, predicate)


def _said(n, noun: str, predicate: str) -> str:
    from core.text import predicate_form

    predicate = predicate.strip()
    return f" {predicate_form(n, noun, predicate)}" if predicate else ""


@register.filter
def noun(value, noun: str) -> str:
    """Only the agreed noun, for a number shown apart: ``{{ n|noun:"школа" }}`` → «школ»;
    ``:case`` and ``;predicate`` as for :func:`count`."""
    from core.text import noun_form

    noun, _, predicate = noun.partition(";")
    noun, _, case = noun.partition(":")
    n = _number(value)
    n = 5 if n is None else n
    return noun_form(n, noun, case or "nomn") + _said(n, noun, predicate)


@register.filter
def predicate(value, spec: str) -> str:
    """Only what is said of a count, agreed with it: ``{{ approved|predicate:"документ;
    подтверждён" }}`` → «подтверждён» (1), «подтверждены» (2), «подтверждено» (5) — for «1 из
    5 документов подтверждён», where the number and the noun stand apart."""
    from core.text import predicate_form

    noun, _, said = spec.partition(";")
    n = _number(value)
    return predicate_form(5 if n is None else n, noun.strip(), said.strip())


@register.filter
def agree(word: str, noun) -> str:
    """A participle agreed with a noun, title or gender code: ``{{ "подтверждён"|agree:
    document.gender }}`` → «подтверждена»."""
    from core.text import agree_with

    return agree_with(str(word), str(getattr(noun, "gender", noun)))


@register.filter
def said_of(predicate: str, person) -> str:
    """What is said of a person, in the person's gender: ``{{ "выбыл"|said_of:member }}`` →
    «выбыла» for «Иванова Мария Петровна»; «выбыл(а)» when the name does not tell."""
    from core.text import said_of as said

    return said(str(getattr(person, "full_name", person)), str(predicate))


@register.filter
def in_time(value) -> str:
    """A timedelta as «через …» takes it: «час», «2 часа», «30 минут»."""
    from core.text import plural

    minutes = int(value.total_seconds() // 60) if value else 0
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return "час" if hours == 1 else f"{hours} {plural(hours, 'час', 'часа', 'часов')}"
    minutes = max(minutes, 1)
    return f"{minutes} {plural(minutes, 'минуту', 'минуты', 'минут')}"


@register.filter
def waited(value) -> str:
    """A duration as people say it: «2 дн. 5 ч», «3 ч 10 мин», «менее минуты»."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} дн. {hours} ч" if hours else f"{days} дн."
    if hours:
        return f"{hours} ч {minutes} мин" if minutes else f"{hours} ч"
    return f"{minutes} мин" if minutes else "менее минуты"



@register.simple_tag(takes_context=True)
def may(context, perm: str, obj=None) -> bool:
    """Whether the page's user holds ``perm`` (on ``obj``): ``{% may "app.perm" as can %}``.
    For showing links only; every view and service checks again."""
    from core.permissions import has_perm

    request = context.get("request")
    return bool(request) and has_perm(request.user, perm, obj)


@register.simple_tag(takes_context=True)
def has_role(context, role: str) -> bool:
    """Whether the page's user holds ``role`` anywhere: ``{% has_role "methodist" as m %}``."""
    from core.scope import scope_of

    request = context.get("request")
    return bool(request) and role in scope_of(request.user).roles
