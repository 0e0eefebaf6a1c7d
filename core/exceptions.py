class DomainError(Exception):
    """An expected failure of a service; its message is Russian and shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
