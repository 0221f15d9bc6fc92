"""The voice of the customer (客户之声): survey scores, satisfaction indices and key drivers.

- :mod:`.scores`: NPS with its interval, CSAT (top-2-box), mean scores;
- :mod:`.pls`: :class:`PLSPathModel`, PLS path modelling (Wold; Lohmöller) with the 0-100
  indices of the ACSI convention; :mod:`.pls_bootstrap` its bootstrap; :mod:`.reliability`
  alpha, rho_A, rho_C, AVE and HTMT; :mod:`.specifications` the ECSI and ACSI models;
- :mod:`.ipma`: the importance-performance map and its quadrants; :mod:`.drivers`: Shapley
  decomposition of R^2 for plain surveys;
- :mod:`.answers`: how answers are read and checked (scales, missing answers);
  :mod:`.survey_file`: a survey file read, and a ready model's results as plain data;
  :mod:`.stored_answers`: the answers stored in the database, read back wide.

May import: ``segments``, ``value``, ``models``, ``features``, ``store``, ``errors``; never
``actions``, ``analysis`` or above.
"""

from valuecrm.voice.drivers import driver_importance, shapley_r_squared
from valuecrm.voice.ipma import QUADRANTS, importance_performance
from valuecrm.voice.pls import PLSPathModel
from valuecrm.voice.pls_bootstrap import PLSBootstrap
from valuecrm.voice.scores import NPSResult, csat, mean_score, nps, nps_by, nps_difference
from valuecrm.voice.specifications import ACSI, ECSI, SPECIFICATIONS, Specification

__all__ = [
    "ACSI",
    "ECSI",
    "QUADRANTS",
    "SPECIFICATIONS",
    "NPSResult",
    "PLSBootstrap",
    "PLSPathModel",
    "Specification",
    "csat",
    "driver_importance",
    "importance_performance",
    "mean_score",
    "nps",
    "nps_by",
    "nps_difference",
    "shapley_r_squared",
]
