"""Plots, exports and the HTML report of a results object (delegating methods).

Kept apart from :mod:`eventstudy.results` so that the numbers and their
presentation evolve separately; :class:`~eventstudy.results.EventStudyResults`
inherits these methods.
"""

from __future__ import annotations

__all__ = ["ResultsPresentation"]


class ResultsPresentation:
    """Mixin: ``plot``, ``to_frame``, ``to_csv``, ``to_latex``, ``to_excel``, ``report``."""
