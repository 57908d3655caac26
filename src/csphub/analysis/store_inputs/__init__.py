"""Inputs for the analysis library read from the evidence store.

Pure functions: a :class:`~csphub.store.Store` and explicit parameters (area, period,
filters) in, the DataFrames and arrays that ``csphub.analysis`` functions take out. No
command line here; ``csphub analyse`` is a thin shell over these and the library. Problems
with the options or the store's contents raise :class:`InputError`, whose one-line message
says what to load or change.
"""

from csphub.analysis.store_inputs.alert import StoreAlert, store_near_repeat_alert
from csphub.analysis.store_inputs.events import (
    EVENT_FILTERS,
    StoreEvents,
    agencies,
    distinct_events,
    events_frame,
    knox_events,
    vol_events,
)
from csphub.analysis.store_inputs.geography import (
    Population,
    area_grid,
    area_outline_bng,
    area_population,
    lsoa_boundaries,
    parse_area,
)
from csphub.analysis.store_inputs.periods import (
    InputError,
    Period,
    loaded_months,
    make_period,
    month_range,
    months_up_to,
    parse_date,
    parse_month,
    parse_numbers,
    parse_period,
    parse_quarter,
    parse_where,
    require_months,
    shift_month,
)
from csphub.analysis.store_inputs.street import (
    STREET_FILTERS,
    SnapPoints,
    area_type_counts,
    concentration_units,
    located_points_bng,
    location_coverage,
    lsoa_counts,
    monthly_counts,
    rows_without_location,
    snap_point_counts,
    street_counts,
)

__all__ = [
    "EVENT_FILTERS",
    "STREET_FILTERS",
    "InputError",
    "Period",
    "Population",
    "SnapPoints",
    "StoreAlert",
    "StoreEvents",
    "agencies",
    "area_grid",
    "area_outline_bng",
    "area_population",
    "area_type_counts",
    "concentration_units",
    "distinct_events",
    "events_frame",
    "knox_events",
    "loaded_months",
    "located_points_bng",
    "location_coverage",
    "lsoa_boundaries",
    "lsoa_counts",
    "make_period",
    "month_range",
    "monthly_counts",
    "months_up_to",
    "parse_area",
    "parse_date",
    "parse_month",
    "parse_numbers",
    "parse_period",
    "parse_quarter",
    "parse_where",
    "require_months",
    "rows_without_location",
    "shift_month",
    "snap_point_counts",
    "store_near_repeat_alert",
    "street_counts",
    "vol_events",
]
