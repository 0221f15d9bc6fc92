"""The one read layer: answers to the questions the interfaces ask, from the stored snapshots.

The CLI, the REST API, the dashboard and the report call these functions and show what they
return; they compute no figure of their own, so a figure (active customers, customer equity,
mean CLV, revenue, group counts, list totals) has one definition wherever it is shown. Every
function takes a :class:`~valuecrm.store.Database` and returns plain data that serialises to JSON
as it is (str, int, float, bool, None, lists and dicts; dates as ISO strings): the API sends it,
and the CLI renders it the same whether it read the database itself or asked a running server.

- :mod:`~valuecrm.views.figures`: KPIs, the headline figures of a snapshot, their trend.
- :mod:`~valuecrm.views.snapshot_groups`: snapshots, segments (group counts), migration, cohorts.
- :mod:`~valuecrm.views.lists`: the retention and win-back lists.
- :mod:`~valuecrm.views.campaigns`: campaigns as their plan-do-check-act record, and their
  steps as the CLI and the API run them.
- :mod:`~valuecrm.views.cross_sell`: association rules, next best products and up-sell per
  customer, cross-buying by segment; :func:`~valuecrm.views.campaigns.actions_tried`: the
  campaigns tried on the groups of a segmentation.
- :mod:`~valuecrm.views.customers`, :mod:`~valuecrm.views.customer360`,
  :mod:`~valuecrm.views.customer_list`: the customer list and the 360 view of one customer.
- :mod:`~valuecrm.views.dashboard`: the dashboard-only charts (CLV histogram, value matrix,
  P(alive) matrix); :mod:`~valuecrm.views.customer_page`: the page of one customer;
  :mod:`~valuecrm.views.palive` and :mod:`~valuecrm.views.model_figures`: P(alive) over a
  customer's history and the models page's charts, from the snapshot's stored parameters.
- :mod:`~valuecrm.views.model_fit`: the description of models fitted on all orders
  (:mod:`valuecrm.analysis.orders_fit`) when no snapshot holds them.
- :mod:`~valuecrm.views.voice`: NPS and the PLS satisfaction index of a survey file;
  :mod:`~valuecrm.views.voice_scores` (NPS overall, over time and by segment, CSAT, means) and
  :mod:`~valuecrm.views.voice_index` (the satisfaction index, its IPMA, the key drivers) on the
  survey answers stored in the database.
- :mod:`~valuecrm.views.exports`: the export queries (the files are written by the store).
- :mod:`~valuecrm.views.privacy`: what each role sees of a customer (masking), applied by every
  interface that shows personal data.

Some of these take a DuckDB cursor rather than a Database (the dashboard's per-request cursor).

May import: ``reports``, ``analysis``, ``actions``, ``voice``, ``segments``, ``store``,
``errors`` (everything below); never ``interfaces``.
"""

from valuecrm.views.figures import headline, kpis, order_facts, trends
from valuecrm.views.lists import action_list
from valuecrm.views.snapshot_groups import cohorts, migration, rf_grid, segments, snapshots

__all__ = ["action_list", "cohorts", "headline", "kpis", "migration", "order_facts",
           "rf_grid", "segments", "snapshots", "trends"]
