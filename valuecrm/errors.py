"""The errors valuecrm raises.

Every error says what happened and what to do next, and carries the HTTP status the REST API
answers with (``status``) and a stable machine-readable ``code``::

    ValueCRMError (500)
    ├── InputError (400)                 the caller's input is wrong
    │   ├── ParameterError (400)         an argument is out of range or of the wrong type
    │   ├── SchemaError (400)            unknown table or column, missing required column
    │   ├── SourceError (400)            a file is missing, empty, unreadable or not what it says
    │   ├── AlreadyExistsError (409)     a name that is taken (an active user of that name)
    │   ├── IngestError (422)            rows failed validation; carries the full report
    │   └── DataError (422)              the data cannot support the analysis (no repeat buyers)
    ├── NotFittedError (409)             a model was used before ``fit``
    ├── ConvergenceError (422)           a model fit did not converge
    ├── NotFoundError (404)              a customer, snapshot or job that does not exist
    ├── DatabaseError (500)              the customer database cannot be used
    │   ├── DatabaseLockedError (409)    another process holds the write lock
    │   └── SchemaVersionError (409)     the database was written by another valuecrm version
    ├── AnalysisRunningError (409)       an analysis holds the data (no ingest, no 2nd analysis)
    ├── IngestRunningError (409)         an ingest is loading: an analysis must wait for it
    ├── AuthenticationError (401)        no or wrong token
    ├── PermissionDeniedError (403)      the role may not do this
    ├── TooManyAttemptsError (429)       too many failed sign-ins: wait ``retry_after`` seconds
    └── PortUnavailableError (500)       ``serve`` cannot listen on the address and port asked for
"""

from __future__ import annotations

from typing import Any, ClassVar


class ValueCRMError(Exception):
    """Base class of every valuecrm error."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, hint: str | None = None, **details: Any) -> None:
        self.message = message
        self.hint = hint
        self.details = details
        super().__init__(message if hint is None else f"{message} {hint}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON body the API answers with."""
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        if self.details:
            body["details"] = self.details
        return body


class InputError(ValueCRMError):
    status = 400
    code = "bad_input"


class ParameterError(InputError, ValueError):
    """An argument has the wrong type or value.

    The message has one form: "The 'discount_rate' parameter of clv must be a float in [0, 1).
    Got 1.5 instead."
    """

    code = "bad_parameter"
    # set by ``of``: which parameter, what it must be and what it got, so that an interface can
    # say the same in its own words (a CLI option, an API field)
    parameter: str | None = None
    expected: str | None = None
    got: Any = None

    @classmethod
    def of(cls, name: str, owner: str, expected: str, got: Any) -> ParameterError:
        error = cls(f"The {name!r} parameter of {owner} must be {expected}. "
                    f"Got {got!r} instead.")
        error.parameter, error.expected, error.got = name, expected, got
        return error


class SchemaError(InputError):
    code = "schema_error"


class SourceError(InputError):
    code = "bad_source"


class AlreadyExistsError(InputError):
    """Something of that name exists already (an active user)."""

    status = 409
    code = "already_exists"


class IngestError(InputError):
    """A file was refused: some rows failed validation. ``report`` lists every bad row."""

    status = 422
    code = "ingest_rejected"

    def __init__(self, message: str, *, report: Any = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.report = report

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if self.report is not None and hasattr(self.report, "to_dict"):
            body["report"] = self.report.to_dict()
        return body


class DataError(InputError):
    status = 422
    code = "unusable_data"


class NotFittedError(ValueCRMError, AttributeError):
    status = 409
    code = "not_fitted"

    def __init__(self, estimator: object) -> None:
        name = type(estimator).__name__
        super().__init__(
            f"This {name} instance is not fitted yet. Call 'fit' with appropriate arguments "
            "before using this estimator."
        )


class ConvergenceError(ValueCRMError, ArithmeticError):
    status = 422
    code = "did_not_converge"


class NotFoundError(ValueCRMError, LookupError):
    status = 404
    code = "not_found"


class DatabaseError(ValueCRMError):
    status = 500
    code = "database_error"


class DatabaseLockedError(DatabaseError):
    status = 409
    code = "database_locked"


class SchemaVersionError(DatabaseError):
    status = 409
    code = "schema_version"


class AnalysisRunningError(ValueCRMError):
    """An analysis is queued or running: no other analysis, no ingest until it ends."""

    status = 409
    code = "analysis_running"


class IngestRunningError(ValueCRMError):
    """An ingest is loading a file: an analysis cannot start until it ends."""

    status = 409
    code = "ingest_running"


class AuthenticationError(ValueCRMError):
    status = 401
    code = "unauthenticated"


class PermissionDeniedError(ValueCRMError):
    status = 403
    code = "forbidden"


class TooManyAttemptsError(ValueCRMError):
    """Too many failed sign-ins for a user name or from an address: wait ``retry_after`` s."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint, retry_after=retry_after)
        self.retry_after = retry_after


class PortUnavailableError(ValueCRMError):
    """``valuecrm serve`` cannot listen where it was asked to (port in use, no permission)."""

    code = "port_unavailable"
