"""Domain errors; `dispatch` turns each into a friendly reply in one place."""


class DomainError(Exception):
    """Base: `text_key` names the reply in texts.py, `params` fill it."""

    text_key = "error_generic"

    def __init__(self, text_key: str | None = None, **params: object) -> None:
        super().__init__(text_key or self.text_key)
        if text_key:
            self.text_key = text_key
        self.params = params


class NotBound(DomainError):
    text_key = "not_bound"


class Forbidden(DomainError):
    text_key = "forbidden"


class NotFound(DomainError):
    text_key = "not_found"


class Invalid(DomainError):
    text_key = "invalid"
