"""Throttling sign-in: password guessing is slowed by user name and by client address.

After ``limit`` failed sign-ins for one user name, or ``address_limit`` from one client address,
within the last ``window`` seconds, further attempts are refused at once (HTTP 429 with
``Retry-After``: the seconds until the oldest of those failures leaves the window) without
checking the password, so guessing costs the server nothing and slows no other user. A
successful sign-in clears the failures of that name (not those of the address). Unknown names
count like known ones, so a refusal tells nothing about which names exist.

The limits come from the environment of the server (tests use small ones)::

    VALUECRM_SIGNIN_LIMIT          failures per user name in the window (default 5)
    VALUECRM_SIGNIN_ADDRESS_LIMIT  failures per client address in the window (default 20)
    VALUECRM_SIGNIN_WINDOW         the window in seconds (default 300)
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from valuecrm.errors import ParameterError, TooManyAttemptsError

ENVIRONMENT = {"limit": "VALUECRM_SIGNIN_LIMIT", "address_limit": "VALUECRM_SIGNIN_ADDRESS_LIMIT",
               "window": "VALUECRM_SIGNIN_WINDOW"}
MAX_KEYS = 100_000  # names and addresses remembered; the expired ones are dropped beyond this


@dataclass
class SignInThrottle:
    """Failed sign-ins per user name and per client address, in a sliding window."""

    limit: int = 5
    address_limit: int = 20
    window: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SignInThrottle:
        """The throttle with the limits of ``VALUECRM_SIGNIN_*`` (the defaults where unset)."""
        environ = os.environ if environ is None else environ
        settings: dict[str, float] = {}
        for name, variable in ENVIRONMENT.items():
            text = environ.get(variable)
            if text is None or not text.strip():
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value <= 0 or (name != "window"
                                                          and not value.is_integer()):
                kind = "a number of seconds" if name == "window" else "a whole number"
                raise ParameterError(f"The environment variable {variable} must be {kind} "
                                     f"above 0. Got {text!r} instead.")
            settings[name] = value if name == "window" else int(value)
        return cls(**settings)  # type: ignore[arg-type]

    def check(self, name: str | None, address: str) -> None:
        """TooManyAttemptsError if ``name`` or ``address`` has used up its failures."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(f"name:{name.casefold()}", self.limit, now)
                     if name else 0.0, self._wait(f"address:{address}", self.address_limit, now)]
        wait = max(waits)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise TooManyAttemptsError(
                "Too many failed sign-ins" + (" for this user name" if waits[0] >= waits[1]
                                              else " from this address")
                + f": try again in {seconds} seconds.",
                retry_after=seconds,
                hint="Check the user name and password, or sign in with an API token; an "
                     "administrator can set a new password.")

    def failed(self, name: str | None, address: str) -> None:
        """Remember one failed sign-in of ``name`` (if given) from ``address``."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                self._forget_expired(now)
            for key in ([f"name:{name.casefold()}"] if name else []) + [f"address:{address}"]:
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str | None) -> None:
        """A correct sign-in: the failures of ``name`` are forgotten."""
        if name:
            with self._lock:
                self._failures.pop(f"name:{name.casefold()}", None)

    def _wait(self, key: str, limit: int, now: float) -> float:
        """Seconds until ``key`` may try again (0: now). Drops failures older than the window."""
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < limit:
            return 0.0
        return times[-limit] + self.window - now

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window]:
            del self._failures[key]
