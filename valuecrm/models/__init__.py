"""Customer value models (one estimator per file on the shared base, ``base.BaseFitter``, whose
likelihood search is :mod:`.likelihood_optimiser` and whose standard errors, summary and
intervals are :mod:`.estimate_uncertainty`; Pareto/NBD's likelihood is
:mod:`.pareto_nbd_likelihood`) and uplift learners (:mod:`.uplift`, on scikit-learn estimators).

Each follows the scikit-learn contract: ``__init__`` only stores its arguments, ``fit(data)``
returns the model, learned values end in ``_`` (``params_``, ``log_likelihood_``, ...).

What other packages use is public: the estimators, ``covariance_`` and
``parameter_covariance(data)`` (the covariance of the estimates, from the fit or on given
data), ``expected_purchases_curve(ts, data)`` of the purchase models,
and :mod:`.histories` (customer histories read once, grouped by :func:`distinct_histories`).
Beside them: :mod:`.checks` (the shared input checks), :mod:`.input_columns` (reading a
DataFrame, pyarrow or Ibis table as columns), :mod:`.distinct_rows` (grouping identical rows),
:mod:`.finite_differences` (derivatives for standard errors), :mod:`.holdout` (a model's
holdout accuracy), :mod:`.model_choice` (the noise-aware choice rule), :mod:`.evaluation`
(``evaluate_holdout`` and the comparison ``analyze`` makes), :mod:`.uncertainty` (the
interval methods: parameters by the profile likelihood, :mod:`.profile_likelihood`,
predictions by the delta method on the log or logit scale), :mod:`.simulation` (summaries
drawn from the models, for coverage studies),
:mod:`.uplift_curves` (Qini and uplift curves, the Qini coefficient). Modules starting with
``_`` are one model's numerics.

Imports: numpy/scipy/pandas, :mod:`valuecrm.errors` and :mod:`valuecrm.features` (time units,
the RFM summary and holdout purchase times of ``evaluate_holdout``).
"""

from valuecrm.models.base import BaseFitter
from valuecrm.models.beta_geo import BetaGeo
from valuecrm.models.beta_geo_beta_binom import BetaGeoBetaBinom
from valuecrm.models.gamma_gamma import GammaGamma
from valuecrm.models.modified_beta_geo import ModifiedBetaGeo
from valuecrm.models.pareto_nbd import ParetoNBD
from valuecrm.models.shifted_beta_geo import ShiftedBetaGeo
from valuecrm.models.uplift import ClassTransformationUplift, TwoModelUplift

__all__ = [
    "BaseFitter",
    "BetaGeo",
    "BetaGeoBetaBinom",
    "ClassTransformationUplift",
    "GammaGamma",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ShiftedBetaGeo",
    "TwoModelUplift",
]
