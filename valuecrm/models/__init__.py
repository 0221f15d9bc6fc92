"""Customer value models: one estimator per file on the shared base (``base.BaseFitter``).

Each follows the scikit-learn contract: ``__init__`` only stores its arguments, ``fit(data)``
returns the model, learned values end in ``_`` (``params_``, ``log_likelihood_``, ...).
"""

from valuecrm.models.base import BaseFitter
from valuecrm.models.beta_geo import BetaGeo

__all__ = [
    "BaseFitter",
    "BetaGeo",
]
