"""Typed errors a service raises. Each carries a message for the user and a short,
personal-data-free code for the audit trail."""

from __future__ import annotations


class ServiceError(Exception):
    code = "error"

    def __init__(self, message: str, *, audit_detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.audit_detail = audit_detail or self.code


class NotAllowed(ServiceError):
    """The domain rules refuse this actor this action."""

    code = "not_allowed"


class InvalidInput(ServiceError):
    code = "invalid"


class SchemaNotCurrent(ServiceError):
    """A PostgreSQL store whose schema is not this recorder's: run ``recorder migrate``."""

    code = "schema_not_current"


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    """Someone else changed the record first (another terminal, another worker)."""

    code = "conflict"


class SignInFailed(ServiceError):
    code = "signin_failed"


class AccountLocked(SignInFailed):
    code = "locked"


class SignInDelayed(SignInFailed):
    code = "delayed"

    def __init__(self, message: str, seconds: float, **kw) -> None:
        super().__init__(message, **kw)
        self.seconds = seconds


class Incomplete(ServiceError):
    """A record cannot be submitted: it carries the findings that block it."""

    code = "incomplete"

    def __init__(self, message: str, findings, **kw) -> None:
        super().__init__(message, **kw)
        self.findings = list(findings)
