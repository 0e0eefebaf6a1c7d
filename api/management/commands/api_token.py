"""``manage.py api_token LOGIN --name … --days …``: a personal API token of LOGIN's own, made
on the server for an integration host that has no browser (the same service, limits and
audit entry as the profile page's «Создать токен»). The secret is printed once."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from api.services import token_create
from core.exceptions import DomainError
from core.models import User


class Command(BaseCommand):
    help = ("Создаёт личный токен API пользователя (как кнопка «Создать токен» в профиле) и "
            "один раз печатает его.")

    def add_arguments(self, parser):
        parser.add_argument("login", help="логин пользователя, от имени которого читают")
        parser.add_argument("--name", required=True, help="для чего токен")
        parser.add_argument("--days", type=int, default=90, help="срок действия, дней")

    def handle(self, *args, login, name, days, **options):
        user = User.objects.filter(username=login).first()
        if user is None:
            raise CommandError(f"Пользователь «{login}» не найден.")
        try:
            token, secret = token_create(actor=user, name=name, days=days)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied:
            raise CommandError(f"У пользователя «{login}» нет действующей роли на портале: "
                               "токен ему не нужен.") from None
        self.stderr.write(f"Токен «{token.name}» пользователя {login} действует до "
                          f"{token.expires_at:%d.%m.%Y}. Он показан один раз:")
        self.stdout.write(secret)
