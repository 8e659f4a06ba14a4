"""The errors operations raise; views turn them into 422/409/404 responses."""

from __future__ import annotations


class DomainError(Exception):
    """A broken business rule, reported against the field that broke it."""

    status_code = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field or "_schema"

    def as_errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


class ConflictError(DomainError):
    """The write would break uniqueness, or was based on a stale version."""

    status_code = 409


class StaleVersionError(ConflictError):
    def __init__(self, *, current_version: int, field: str = "version") -> None:
        super().__init__(
            "This record was changed by someone else since you opened it. "
            "Check the latest details and save again.",
            field=field,
        )
        self.current_version = current_version


class IllegalTransitionError(ConflictError):
    pass


class NotFoundError(Exception):
    """The thing does not exist, or the user may not know that it does."""


class ForbiddenError(DomainError):
    """The user can see this but may not do that to it."""

    status_code = 403
