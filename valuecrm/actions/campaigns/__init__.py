"""Campaigns with control groups, kept as a plan-do-check-act record.

Plan (:func:`plan_campaign`): kind, channel, offer, cost per contact, target, hypothesis,
expected effect and the outcome to check, with :func:`sample_size` /
:func:`minimum_detectable_effect` to size the test. Do: :func:`assign_campaign` (random,
stratified, stated control share and seed) and :func:`launch_campaign` (the treatment list for
the channel, contacts recorded). Check: :func:`measure_campaign` (orders in the window,
:func:`valuecrm.actions.effects.campaign_effect`). Act: :func:`decide_campaign`, and
:func:`uplift_targets` ranks whom to contact next time by predicted uplift x value.
"""

from valuecrm.actions.campaigns.assign import assign_campaign, random_assignment
from valuecrm.actions.campaigns.decide import DECISIONS, decide_campaign
from valuecrm.actions.campaigns.launch import launch_campaign, treatment_list
from valuecrm.actions.campaigns.measure import measure_campaign, member_outcomes
from valuecrm.actions.campaigns.next_list import uplift_targets
from valuecrm.actions.campaigns.plan import plan_campaign
from valuecrm.actions.campaigns.sample_size import (
    SampleSize,
    minimum_detectable_effect,
    sample_size,
)

__all__ = ["DECISIONS", "SampleSize", "assign_campaign", "decide_campaign", "launch_campaign",
           "measure_campaign", "member_outcomes", "minimum_detectable_effect", "plan_campaign",
           "random_assignment", "sample_size", "treatment_list", "uplift_targets"]
