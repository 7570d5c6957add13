class DomainError(Exception):
    """A business rule refused the request; the message is shown to the user as it is (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
