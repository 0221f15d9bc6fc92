"""The voice of the customer (客户之声): survey scores, satisfaction indices and key drivers.

- :mod:`.scores`: NPS with its interval, CSAT (top-2-box), mean scores;
- :mod:`.pls`: :class:`PLSPathModel`, PLS path modelling (Wold; Lohmöller) with the 0-100
  indices of the ACSI convention; :mod:`.pls_bootstrap` its bootstrap; :mod:`.reliability`
  alpha, rho_A, rho_C, AVE and HTMT; :mod:`.specifications` the ECSI and ACSI models;
- :mod:`.ipma`: the importance-performance map and its quadrants; :mod:`.drivers`: Shapley
  decomposition of R^2 for plain surveys;
- :mod:`.recovery`: complaint rates, resolution and the justice regression (缺失补救);
  :mod:`.recovery_retention`: retention after recovery and the service-recovery paradox test;
  :mod:`.journey`: touchpoints (接触点) by stage and channel, cost to serve, the funnel from first
  contact to first order, and where complaints arise; :mod:`.proportions` their intervals;
- :mod:`.answers`: how answers are read and checked (scales, missing answers);
  :mod:`.survey_file`: a survey file read, and a ready model's results as plain data;
  :mod:`.stored_answers`: the answers stored in the database, read back wide;
- :mod:`.survey_model`: the survey model file; :mod:`.survey_import`: a survey export loaded
  into the database;
- :mod:`.perceived_value`: customer perceived value (benefits / sacrifices, dimension
  weights); :mod:`.quadrants`: satisfaction x loyalty quadrants (Jones & Sasser 1995).

May import: ``segments``, ``value``, ``models``, ``features``, ``store``, ``errors``; never
``actions``, ``analysis`` or above.
"""

from valuecrm.voice.drivers import driver_importance, shapley_r_squared
from valuecrm.voice.ipma import QUADRANTS, importance_performance
from valuecrm.voice.journey import (
    complaint_stages,
    cost_to_serve,
    journey_funnel,
    journey_mix,
)
from valuecrm.voice.perceived_value import PerceivedValue
from valuecrm.voice.pls import PLSPathModel
from valuecrm.voice.pls_bootstrap import PLSBootstrap
from valuecrm.voice.quadrants import LOYALTY_QUADRANTS, loyalty_quadrants
from valuecrm.voice.recovery import complaint_rates, complaint_resolution, justice_effects
from valuecrm.voice.recovery_retention import recovery_retention
from valuecrm.voice.scores import NPSResult, csat, mean_score, nps, nps_by, nps_difference
from valuecrm.voice.specifications import ACSI, ECSI, SPECIFICATIONS, Specification
from valuecrm.voice.survey_import import SurveyImport, import_survey
from valuecrm.voice.survey_model import SurveyModel, read_survey_model

__all__ = [
    "ACSI",
    "ECSI",
    "LOYALTY_QUADRANTS",
    "QUADRANTS",
    "SPECIFICATIONS",
    "NPSResult",
    "PLSBootstrap",
    "PLSPathModel",
    "PerceivedValue",
    "Specification",
    "SurveyImport",
    "SurveyModel",
    "complaint_rates",
    "complaint_resolution",
    "complaint_stages",
    "cost_to_serve",
    "csat",
    "driver_importance",
    "import_survey",
    "importance_performance",
    "journey_funnel",
    "journey_mix",
    "justice_effects",
    "loyalty_quadrants",
    "mean_score",
    "nps",
    "nps_by",
    "nps_difference",
    "read_survey_model",
    "recovery_retention",
    "shapley_r_squared",
]
