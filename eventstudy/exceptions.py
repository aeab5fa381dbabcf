"""Exceptions and warnings raised by eventstudy.

Every bad-input error derives from :class:`EventStudyError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers who do
not know this package. Every warning derives from :class:`EventStudyWarning`.
"""

from __future__ import annotations

__all__ = [
    "EventStudyError",
    "EventFileError",
    "DataError",
    "DataUnavailableError",
    "UnknownTickerError",
    "WindowError",
    "ModelSpecificationError",
    "MissingDependencyError",
    "EventStudyWarning",
    "MissingDataWarning",
    "SkippedEventsWarning",
    "ClusteringWarning",
    "CacheWarning",
    "StaleDataWarning",
]


class EventStudyError(ValueError):
    """Base class of every bad-input error raised by eventstudy."""


class EventFileError(EventStudyError):
    """An events file or frame is malformed (names file, line and column)."""


class DataError(EventStudyError):
    """Prices, returns or factors are malformed or do not cover the request."""


class UnknownTickerError(DataError):
    """A requested ticker is not present in the data source."""


class DataUnavailableError(DataError):
    """The data could not be obtained (network failure, no cache)."""


class WindowError(EventStudyError):
    """An estimation or event window is malformed or inconsistent."""


class ModelSpecificationError(EventStudyError):
    """An expected-return model is unknown or mis-specified."""


class MissingDependencyError(EventStudyError, ImportError):
    """An optional package needed for this feature is not installed."""


class EventStudyWarning(UserWarning):
    """Base class of every warning issued by eventstudy."""


class MissingDataWarning(EventStudyWarning):
    """Some observations were missing and were excluded (never silently)."""


class SkippedEventsWarning(EventStudyWarning):
    """Some events could not be estimated; see ``results.skipped``."""


class ClusteringWarning(EventStudyWarning):
    """Several events share a calendar date (cross-sectional dependence)."""


class CacheWarning(EventStudyWarning):
    """A cache file was unreadable or the cache directory is read-only."""


class StaleDataWarning(EventStudyWarning):
    """Data were served from a cache or bundle because a download failed."""
