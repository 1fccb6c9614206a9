"""One tree of domain errors, turned into form errors or 4xx responses."""


class BoardError(Exception):
    """A refused request; ``field`` names the input at fault, if any."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ValidationFailed(BoardError):
    """Input that breaks a rule of the domain."""


class NotAllowed(BoardError):
    """The actor may not do this."""

    status_code = 403

    def __init__(self, message, *, field=None, code="permission_denied"):
        super().__init__(message, field=field, code=code)


class InvalidTransition(BoardError):
    """The message's lifecycle does not allow this move from its status."""

    status_code = 409

    def __init__(self, message, *, field="status", code="invalid_transition"):
        super().__init__(message, field=field, code=code)
