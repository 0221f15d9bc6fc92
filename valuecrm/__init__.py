"""valuecrm: value-oriented customer relationship management.

Load a customer database (DuckDB, through Ibis), learn what each customer is worth (RFM,
BG/NBD, Pareto/NBD, Gamma-Gamma, CLV), segment the base and act on it.

The public API is exactly ``__all__``; names are imported on first use, so ``import valuecrm``
and the command line start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "ConvergenceError": "valuecrm.errors",
    "DataError": "valuecrm.errors",
    "Database": "valuecrm.store",
    "IngestError": "valuecrm.errors",
    "IngestReport": "valuecrm.store.ingest",
    "LineCounts": "valuecrm.store.ingest",
    "NotFittedError": "valuecrm.errors",
    "ValueCRMError": "valuecrm.errors",
    "connect": "valuecrm.store",
    "connect_ibis": "valuecrm.store.external",
    "rfm_summary": "valuecrm.features",
    "association_rules": "valuecrm.mining",
    "top_partners": "valuecrm.mining",
    "BetaGeo": "valuecrm.models",
    "BetaGeoBetaBinom": "valuecrm.models",
    "GammaGamma": "valuecrm.models",
    "ModifiedBetaGeo": "valuecrm.models",
    "ParetoNBD": "valuecrm.models",
    "ShiftedBetaGeo": "valuecrm.models",
    "evaluate_holdout": "valuecrm.models.evaluation",
    "TwoModelUplift": "valuecrm.models",
    "ClassTransformationUplift": "valuecrm.models",
    "qini_auc_score": "valuecrm.models.uplift_curves",
    "qini_curve": "valuecrm.models.uplift_curves",
    "uplift_auc_score": "valuecrm.models.uplift_curves",
    "uplift_curve": "valuecrm.models.uplift_curves",
    "CustomerEquity": "valuecrm.value",
    "clv_formula": "valuecrm.value",
    "customer_equity": "valuecrm.value",
    "customer_lifetime_value": "valuecrm.value",
    "load_cdnow": "valuecrm.datasets",
    "load_cdnow_summary": "valuecrm.datasets",
    "load_donations": "valuecrm.datasets",
    "load_hillstrom": "valuecrm.datasets",
    "load_completejourney": "valuecrm.datasets.completejourney",
    "SEGMENTS": "valuecrm.segments",
    "rfm_scores": "valuecrm.segments",
    "segment_summary": "valuecrm.segments",
    "PLSPathModel": "valuecrm.voice",
    "ECSI": "valuecrm.voice",
    "ACSI": "valuecrm.voice",
    "nps": "valuecrm.voice",
    "nps_by": "valuecrm.voice",
    "csat": "valuecrm.voice",
    "mean_score": "valuecrm.voice",
    "driver_importance": "valuecrm.voice",
    "complaint_rates": "valuecrm.voice",
    "complaint_resolution": "valuecrm.voice",
    "justice_effects": "valuecrm.voice",
    "recovery_retention": "valuecrm.voice",
    "journey_mix": "valuecrm.voice",
    "journey_funnel": "valuecrm.voice",
    "complaint_stages": "valuecrm.voice",
    "cost_to_serve": "valuecrm.voice",
    "import_survey": "valuecrm.voice",
    "read_survey_model": "valuecrm.voice",
    "PerceivedValue": "valuecrm.voice",
    "loyalty_quadrants": "valuecrm.voice",
    "generate": "valuecrm.synthetic",
    "GeneratorConfig": "valuecrm.synthetic",
    "analyze": "valuecrm.analysis",
    "list_snapshots": "valuecrm.store.snapshots",
    "read_snapshot": "valuecrm.store.snapshots",
    "AnalysisConfig": "valuecrm.config",
    "retention_list": "valuecrm.actions",
    "retention_list_chunks": "valuecrm.actions",
    "retention_table": "valuecrm.actions",
    "campaign_effect": "valuecrm.actions",
    "next_best_products": "valuecrm.actions",
    "next_best_products_chunks": "valuecrm.actions",
    "next_best_table": "valuecrm.actions",
    "up_sell_products": "valuecrm.actions",
    "up_sell_products_chunks": "valuecrm.actions",
    "up_sell_table": "valuecrm.actions",
    "winback_list": "valuecrm.actions",
    "winback_list_chunks": "valuecrm.actions",
    "winback_table": "valuecrm.actions",
    "export_list": "valuecrm.actions",
    "LoyaltyRules": "valuecrm.actions.loyalty",
    "load_loyalty_rules": "valuecrm.actions.loyalty",
    "loyalty_balances": "valuecrm.actions.loyalty",
    "loyalty_balances_chunks": "valuecrm.actions.loyalty",
    "loyalty_member_value": "valuecrm.actions.loyalty",
    "loyalty_tiers": "valuecrm.actions.loyalty",
    "loyalty_tiers_chunks": "valuecrm.actions.loyalty",
    "loyalty_what_if": "valuecrm.actions.loyalty",
    "point_rates": "valuecrm.actions.loyalty",
    "points_liability": "valuecrm.actions.loyalty",
    "tier_migration": "valuecrm.actions.loyalty",
    "segment_migration": "valuecrm.reports.migration",
    "cohort_retention": "valuecrm.reports.cohorts",
    "cross_buying": "valuecrm.reports.cross_buying",
    "kpis": "valuecrm.reports.kpis",
    "profile": "valuecrm.reports.profiles",
    "profile_segment": "valuecrm.reports.segment_profile",
    "acquisition": "valuecrm.reports.acquisition",
    "Acquisition": "valuecrm.reports.acquisition",
    "referral_value": "valuecrm.reports.referral_value",
    "ReferralValue": "valuecrm.reports.referral_value",
    "create_app": "valuecrm.interfaces.server",
    "build_report": "valuecrm.report.builder",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'valuecrm' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
