"""eventstudy: stock event studies in Python, Jupyter-first.

Measure abnormal returns around dated events against expected-return models,
test their significance, and show them.

>>> import eventstudy as es
>>> events = es.load_events(es.datasets.events_path())
>>> events.loc[events.event_id == "meta-q3-2025-earnings", "day0"].dt.strftime("%Y-%m-%d").item()
'2025-10-30'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import datasets, sources
from .calendar import TradingCalendar, get_calendar
from .calendar_time import CalendarTimeResults, calendar_time_portfolio
from .events import load_events
from .exceptions import (
    ClusteringWarning,
    DataError,
    EventFileError,
    EventStudyError,
    EventStudyWarning,
    MissingDataWarning,
    SkippedEventsWarning,
    UnknownTickerError,
    WindowError,
)
from .groups import compare_groups
from .inference_extra import adjust_pvalues, pre_event_drift_test
from .models import (
    Carhart4,
    ConstantMean,
    ExpectedReturnModel,
    FactorModel,
    FamaFrench3,
    FamaFrench5,
    GarchModel,
    MarketAdjusted,
    MarketModel,
)
from .regression import regress
from .resampling import permutation_test, wild_bootstrap_test
from .results import EventStudyResults
from .simulation import simulate
from .study import EventStudy

try:
    __version__ = version("eventstudy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "datasets",
    "sources",
    "load_events",
    "EventStudy",
    "EventStudyResults",
    "ExpectedReturnModel",
    "ConstantMean",
    "MarketAdjusted",
    "MarketModel",
    "FactorModel",
    "FamaFrench3",
    "Carhart4",
    "FamaFrench5",
    "GarchModel",
    "calendar_time_portfolio",
    "CalendarTimeResults",
    "compare_groups",
    "regress",
    "pre_event_drift_test",
    "adjust_pvalues",
    "permutation_test",
    "wild_bootstrap_test",
    "simulate",
    "get_calendar",
    "TradingCalendar",
    "EventStudyError",
    "EventFileError",
    "DataError",
    "UnknownTickerError",
    "WindowError",
    "EventStudyWarning",
    "MissingDataWarning",
    "SkippedEventsWarning",
    "ClusteringWarning",
]


def __getattr__(name: str):
    """Import the modules that need matplotlib (plotting, report, export) on first use."""
    if name in ("plotting", "report", "export", "simulation"):
        from importlib import import_module

        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'eventstudy' has no attribute {name!r}")
