"""Purchase times from the BG/NBD process, bent by the planted lifecycle trajectory.

While alive, repeat purchases form a Poisson process with rate ``lambda * m(age)``: with the
operational time ``M(age) = integral of m``, its events are those of a unit-rate process in
``M``-time, so they are drawn as ``Poisson(lambda * M(horizon))`` uniform points in
``[0, M(horizon)]`` mapped back through ``M^-1`` (all vectorised). The customer drops out right
after repeat purchase number ``drop_after`` (geometric with the customer's ``p``), as in the
BG/NBD model (Fader, Hardie & Lee 2005).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valuecrm.synthetic.config import GeneratorConfig
from valuecrm.synthetic.customers import Traits


@dataclass
class Trajectory:
    """The lifecycle multiplier ``m(age)`` of each customer (age in weeks since first purchase).

    ``m`` is ``f0`` up to ``e`` (exploration), rises linearly to 1 at ``f`` (formation), stays 1
    (stability) and, from ``d`` on, decays as ``exp(-(age - d) / tau)`` (decline).
    """

    f0: float
    e: float
    f: float
    tau: float
    d: np.ndarray  # decline onset, inf when the customer does not decline
    enabled: bool = True

    def _m_at_f(self) -> float:
        return self.f0 * self.e + (self.f - self.e) * (1.0 + self.f0) / 2.0

    def operational(self, age: np.ndarray) -> np.ndarray:
        """``M(age)``: the integral of ``m`` from 0 to ``age``."""
        age = np.asarray(age, dtype=np.float64)
        if not self.enabled:
            return age.copy()
        f0, e, f = self.f0, self.e, self.f
        x = np.clip(age - e, 0.0, f - e)
        slope = (1.0 - f0) / (2.0 * (f - e)) if f > e else 0.0
        out = f0 * np.minimum(age, e) + f0 * x + slope * x**2
        out = out + np.clip(np.minimum(age, self.d) - f, 0.0, None)
        past = np.maximum(age - self.d, 0.0)
        decline = self.tau * -np.expm1(-past / self.tau)
        return out + np.where(np.isfinite(self.d), decline, 0.0)

    def inverse(self, u: np.ndarray, d: np.ndarray) -> np.ndarray:
        """``M^-1(u)`` for customers with decline onsets ``d`` (inf where never reached)."""
        u = np.asarray(u, dtype=np.float64)
        if not self.enabled:
            return u.copy()
        f0, e, f, tau = self.f0, self.e, self.f, self.tau
        m_e, m_f = f0 * e, self._m_at_f()
        a = (1.0 - f0) / (2.0 * (f - e)) if f > e else 0.0
        s_explore = u / f0
        rest = np.maximum(u - m_e, 0.0)
        # root of a x^2 + f0 x = rest, in the form that also holds when a = 0
        s_form = e + 2.0 * rest / (f0 + np.sqrt(f0**2 + 4 * a * rest))
        m_d = np.where(np.isfinite(d), m_f + (d - f), np.inf)
        s_stable = f + (u - m_f)
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = 1.0 - (u - m_d) / tau
            s_decline = np.where(frac > 0, d - tau * np.log(np.where(frac > 0, frac, 1.0)),
                                 np.inf)
        return np.select([u <= m_e, u <= m_f, u <= m_d], [s_explore, s_form, s_stable],
                         s_decline)

    def decline_loss(self, age: np.ndarray) -> np.ndarray:
        """Operational weeks lost to the decline by ``age``: ``M(age)`` without the decline minus
        ``M(age)``; times ``lambda`` it is the expected number of purchases the decline cost."""
        age = np.asarray(age, dtype=np.float64)
        if not self.enabled:
            return np.zeros_like(age)
        past = np.where(np.isfinite(self.d), np.maximum(age - self.d, 0.0), 0.0)
        return past + self.tau * np.expm1(-past / self.tau)

    def stage_at(self, age: np.ndarray) -> np.ndarray:
        """The planted stage of customers of ``age`` weeks (alive customers)."""
        return np.select(
            [age < self.e, age < self.f, age < self.d],
            ["exploration", "formation", "stability"], "decline",
        ).astype(object)


def trajectory(config: GeneratorConfig, traits: Traits) -> Trajectory:
    return Trajectory(f0=config.exploration_factor, e=config.exploration_weeks,
                      f=config.formation_weeks, tau=config.decline_weeks,
                      d=traits.decline_onset, enabled=config.lifecycle)


@dataclass
class Purchases:
    """Repeat purchases of a chunk, sorted by customer then time (flat arrays)."""

    customer: np.ndarray  # local customer number within the chunk
    day: np.ndarray       # day from the window start
    rank: np.ndarray      # 1 for the first repeat purchase, 2 for the next, ...
    bgnbd_dropout_day: np.ndarray  # per customer: day of the dropout purchase, inf if none


def draw_repeat_purchases(rng: np.random.Generator, traits: Traits,
                          path: Trajectory) -> Purchases:
    """The BG/NBD repeat purchases of every customer of the chunk up to the window's end."""
    n = traits.n
    op_horizon = path.operational(traits.horizon_weeks)
    count = rng.poisson(traits.lam * op_horizon)
    customer = np.repeat(np.arange(n), count)
    frac = rng.random(len(customer))
    order = np.argsort(customer + frac * 0.999999, kind="stable")
    customer, frac = customer[order], frac[order]
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    rank = np.arange(len(customer)) - starts[customer] + 1
    age = path.inverse(frac * op_horizon[customer], path.d[customer])
    day = traits.first_purchase[customer] + age * 7.0

    dropped = rank == traits.drop_after[customer]
    dropout_day = np.full(n, np.inf)
    dropout_day[customer[dropped]] = day[dropped]
    keep = rank <= traits.drop_after[customer]
    return Purchases(customer=customer[keep], day=day[keep], rank=rank[keep],
                     bgnbd_dropout_day=dropout_day)


def group_starts(customer: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by ``customer``: each customer's first row and row count."""
    count = np.bincount(customer, minlength=n)
    return np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64), count
