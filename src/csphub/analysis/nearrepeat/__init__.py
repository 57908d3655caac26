"""Near repeats: event input, the Knox test over space-time bands, and near-repeat alerts.

Pure library: arrays in, frozen results out (``to_records()``/``to_dict()``). Needs events
with a day-level date: data.police.uk (month only, snapped locations) cannot be used.
"""

from csphub.analysis.nearrepeat.alert import (
    NearRepeatAlert,
    RiskEnvelope,
    RiskStep,
    near_repeat_alert,
    risk_envelope,
)
from csphub.analysis.nearrepeat.events import (
    Events,
    days_of,
    events_from_frame,
    from_day,
    read_events_csv,
    to_day,
)
from csphub.analysis.nearrepeat.knoxtest import KnoxResult, close_pairs, knox

__all__ = [
    "Events",
    "KnoxResult",
    "NearRepeatAlert",
    "RiskEnvelope",
    "RiskStep",
    "close_pairs",
    "days_of",
    "events_from_frame",
    "from_day",
    "knox",
    "near_repeat_alert",
    "read_events_csv",
    "risk_envelope",
    "to_day",
]
