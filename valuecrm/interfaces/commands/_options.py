"""Errors in the words of the command line: library parameters renamed to the options typed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from valuecrm.errors import ParameterError


@contextmanager
def options_named(**options: str) -> Iterator[None]:
    """Re-raise a ParameterError about a library parameter (``by``, ``horizon_months``, ...) as
    one about the CLI option the user typed: ``options_named(by="--by")``."""
    try:
        yield
    except ParameterError as error:
        option = options.get(error.parameter or "")
        if option is None:
            raise
        raise ParameterError(f"{option} must be {error.expected}. Got {error.got!r} instead.",
                             hint=error.hint) from None
