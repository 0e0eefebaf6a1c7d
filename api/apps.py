from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API для аналитики"

    def ready(self) -> None:
        from core.audit import describe
        from core.registry import profile_section

        from . import rules, schema  # noqa: F401 (schema: the token's OpenAPI scheme)
        from .sections import profile_tokens

        rules.register()
        describe("api.token.created", "Создан токен API")
        describe("api.token.revoked", "Отозван токен API")
        profile_section("api_tokens", "Токены API", "api/_tokens.html", profile_tokens,
                        order=40)
