"""Constants every worker agrees on (standard library only)."""

from __future__ import annotations

OBSERVATION_END = "2024-12-31"  # end of the simulated transactions (see datagen.py)
SUMMARY_FREQ = "D"  # the RFM summary case counts time in days in every library

# Scoring: horizon of expected purchases (weeks) and of CLV (months), as lifetimes counts them.
PURCHASE_HORIZON_WEEKS = 52.0
CLV_MONTHS = 12
DAYS_PER_MONTH = 4.345 * 7  # lifetimes 0.11.3's month when freq="W" (4.345 weeks)
MONTHLY_DISCOUNT = 0.01  # lifetimes takes a monthly rate ...
ANNUAL_DISCOUNT = (1 + MONTHLY_DISCOUNT) ** 12 - 1  # ... valuecrm the equivalent annual rate

# Parameters the scoring and parity cases use (CDNOW estimates; REFERENCE.md).
BG_PARAMS = {"r": 0.2425945, "alpha": 4.4136019, "a": 0.7929199, "b": 2.4258881}
PNBD_PARAMS = {"r": 0.55315, "alpha": 10.57633, "s": 0.60625, "beta": 11.67150}
GG_PARAMS = {"p": 6.25, "q": 3.74, "gamma": 15.44}

# Parity: horizons of the conditional predictions and times of the unconditional ones (weeks).
PARITY_HORIZON = 39.0
PARITY_TIMES = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0]
