"""The OpenAPI description of the bearer token (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Личный токен из профиля портала: Authorization: Bearer …"}


ERRORS = {
    "400": "Неверное значение отбора: поле → список сообщений.",
    "401": "Нет токена, или он отозван, истёк, не существует.",
    "403": "Нет права на эти данные (федеральному наблюдателю — только сводные).",
    "404": "Нет такого региона или муниципалитета в области видимости токена.",
    "429": "Превышен лимит запросов токена; заголовок Retry-After — через сколько секунд.",
}


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors it may
    answer with, so a client (and schemathesis) knows their shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {"type": "object", "properties": {"detail": {"type": "string"}},
                        "required": ["detail"]}
    schemas["FieldErrors"] = {"type": "object", "additionalProperties": {
        "type": "array", "items": {"type": "string"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                ref = "FieldErrors" if code == "400" else "Error"
                responses.setdefault(code, {"description": text, "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}})
    return result
