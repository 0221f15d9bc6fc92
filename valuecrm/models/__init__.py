"""Customer value models: one estimator per file on the shared base (``base.BaseFitter``).

Each follows the scikit-learn contract: ``__init__`` only stores its arguments, ``fit(data)``
returns the model, learned values end in ``_`` (``params_``, ``log_likelihood_``, ...).
"""

from valuecrm.models.base import BaseFitter
from valuecrm.models.beta_geo import BetaGeo
from valuecrm.models.beta_geo_beta_binom import BetaGeoBetaBinom
from valuecrm.models.gamma_gamma import GammaGamma
from valuecrm.models.modified_beta_geo import ModifiedBetaGeo
from valuecrm.models.pareto_nbd import ParetoNBD
from valuecrm.models.shifted_beta_geo import ShiftedBetaGeo

__all__ = [
    "BaseFitter",
    "BetaGeo",
    "BetaGeoBetaBinom",
    "GammaGamma",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ShiftedBetaGeo",
]
