"""Every indicator of the reform, defined once (docs/indicators.md). The cockpit, the indicators
page, the API and the monthly and annual reports all measure through ``REGISTRY``."""

from __future__ import annotations

from . import catalog, enforcement, inspections, staff
from .base import AVERAGE, COUNT, RATE, Indicator, Measurement, Period, measure, measure_many

INDICATORS: tuple[Indicator, ...] = (
    *catalog.INDICATORS,
    *staff.INDICATORS,
    *inspections.INDICATORS[:2],
    *enforcement.INDICATORS[-2:],
    *enforcement.INDICATORS[:-2],
    *inspections.INDICATORS[2:],
)
REGISTRY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(i.group for i in INDICATORS))

assert len(REGISTRY) == len(INDICATORS), "indicator keys are unique"

__all__ = [
    "AVERAGE",
    "COUNT",
    "GROUPS",
    "INDICATORS",
    "RATE",
    "REGISTRY",
    "Indicator",
    "Measurement",
    "Period",
    "measure",
    "measure_many",
]
