"""Complaints, service recovery and the customer journey as the interfaces show them.

One function per figure (the CLI, the API, the dashboard and the report share them), and two
that gather them: :func:`recovery` (``valuecrm voice recovery``, ``GET /api/voice/recovery``) and
:func:`journey` (``valuecrm voice journey``, ``GET /api/voice/journey``). Every answer is an
aggregate (no customer id), so viewers see all of it. The figures come from
:mod:`valuecrm.voice.recovery`, :mod:`valuecrm.voice.recovery_retention` and
:mod:`valuecrm.voice.journey`, each with its method.
"""

from __future__ import annotations

from typing import Any

from valuecrm.errors import ParameterError
from valuecrm.store.database import Database
from valuecrm.views._plain import plain
from valuecrm.voice import journey as _journey
from valuecrm.voice import recovery as _recovery
from valuecrm.voice.recovery_retention import recovery_retention as _recovery_retention


def _check(days: int, success_threshold: float | None = None, level: float = 0.95) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650:
        raise ParameterError.of("days", "the recovery and journey figures",
                                "a whole number of days from 1 to 3650", days)
    if success_threshold is not None and not 1 <= success_threshold <= 7:
        raise ParameterError.of("success_threshold", "the recovery figures",
                                "a satisfaction on the 1-7 scale", success_threshold)
    if not 0.5 <= level < 1:
        raise ParameterError.of("level", "the recovery and journey figures",
                                "a float in [0.5, 1)", level)


def complaint_rates(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """Complaints per 100 orders and per customer, overall and by month."""
    return plain(_recovery.complaint_rates(database, level=level))


def complaint_resolution(database: Database, *, success_threshold: float = 5.0,
                         level: float = 0.95) -> dict[str, Any]:
    """Time to resolve, satisfaction after recovery, share of successful recoveries."""
    return plain(_recovery.complaint_resolution(database, success_threshold=success_threshold,
                                                level=level))


def justice_effects(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """The three justices' effects on satisfaction after recovery (OLS, HC3)."""
    return plain(_recovery.justice_effects(database, level=level))


def recovery_retention(database: Database, *, days: int = 90, success_threshold: float = 5.0,
                       level: float = 0.95) -> dict[str, Any]:
    """Retention after successful and failed recoveries and without a complaint; the paradox."""
    _check(days, success_threshold, level)
    return plain(_recovery_retention(database, days=days,
                                               success_threshold=success_threshold,
                                               level=level))


def failed_recoveries(database: Database, *, success_threshold: float = 5.0,
                      limit: int = 100) -> dict[str, Any]:
    """Customers whose latest recovery failed and who have not bought since (customer ids:
    personal data, for analysts and admins; viewers get the aggregates above)."""
    _check(90, success_threshold)
    return plain(_recovery.failed_recoveries(database, success_threshold=success_threshold,
                                             limit=limit))


def recovery(database: Database, *, days: int = 90, success_threshold: float = 5.0,
             level: float = 0.95) -> dict[str, Any]:
    """Every complaint and recovery figure: rates, resolution, justice effects, retention."""
    _check(days, success_threshold, level)
    return {"rates": complaint_rates(database, level=level),
            "resolution": complaint_resolution(database, success_threshold=success_threshold,
                                               level=level),
            "justice": justice_effects(database, level=level),
            "retention": recovery_retention(database, days=days,
                                            success_threshold=success_threshold, level=level)}


def journey_mix(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """Contacts by stage and channel, before and after the first order."""
    return plain(_journey.journey_mix(database, level=level))


def cost_to_serve(database: Database) -> dict[str, Any]:
    """Contacts and cost to serve per customer."""
    return plain(_journey.cost_to_serve(database))


def journey_funnel(database: Database, *, level: float = 0.95) -> dict[str, Any]:
    """The funnel from first contact to first order."""
    return plain(_journey.journey_funnel(database, level=level))


def complaint_stages(database: Database, *, days: int = 30, level: float = 0.95
                     ) -> dict[str, Any]:
    """Where complaints arise along the journey."""
    _check(days, None, level)
    return plain(_journey.complaint_stages(database, days=days, level=level))


def journey(database: Database, *, days: int = 30, level: float = 0.95) -> dict[str, Any]:
    """Every journey figure: the mix, cost to serve, the funnel and the complaint stages."""
    _check(days, None, level)
    return {"mix": journey_mix(database, level=level), "cost": cost_to_serve(database),
            "funnel": journey_funnel(database, level=level),
            "complaints": complaint_stages(database, days=days, level=level)}
