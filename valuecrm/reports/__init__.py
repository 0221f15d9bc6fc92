"""Read-only reports over the stored snapshots and orders: figures, groups, migration, cohorts.

- :mod:`~valuecrm.reports.kpis`: the headline figures of a snapshot, one definition each, with
  their method texts.
- :mod:`~valuecrm.reports.group_figures`: customers and value per group (status, segment, tier,
  ...) of a snapshot.
- :mod:`~valuecrm.reports.migration`: how customers moved between the groups of two snapshots.
- :mod:`~valuecrm.reports.cohorts`: cohort retention of purchase orders.
- :mod:`~valuecrm.reports.cross_buying`: categories bought and main-category share per
  customer, by segment (more, deeper).
- :mod:`~valuecrm.reports.profiles`, :mod:`~valuecrm.reports.segment_profile`: who the
  customers are, by attribute and per segment.
- :mod:`~valuecrm.reports.acquisition`: which acquisition sources bring valuable customers;
  :mod:`~valuecrm.reports.referral_value`: customer referral value, per referrer and in total.

Nothing here writes: the snapshots are made by :func:`valuecrm.analyze`. The read layer
(:mod:`valuecrm.views`), the HTML report and the interfaces show these figures.

May import: ``store``, ``features``, ``segments``, ``config``, ``errors`` (everything below);
never ``analysis``, ``views``, ``report`` or ``interfaces``.
"""
