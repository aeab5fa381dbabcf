"""Data sources: where prices, returns and factors come from.

* :class:`Snapshot` — the bundled data (offline, reproducible);
* :class:`Files` — the user's CSV or parquet files (prices or returns);
* :class:`Yahoo` and :class:`FamaFrench` — live downloads with an on-disk cache;
* :class:`Auto` — the snapshot when it covers a request, Yahoo otherwise.

All follow the :class:`PriceSource` protocol: ``get_prices(tickers, start, end)``
returns adjusted closes, date × ticker.
"""

from __future__ import annotations

from .auto import Auto
from .base import FactorSource, PriceSource, fetch_returns, prices_to_returns
from .famafrench import FamaFrench
from .files import Files
from .snapshot import Snapshot
from .yahoo import Yahoo

__all__ = [
    "PriceSource",
    "FactorSource",
    "Snapshot",
    "Files",
    "Yahoo",
    "FamaFrench",
    "Auto",
    "fetch_returns",
    "prices_to_returns",
    "resolve_source",
]


def resolve_source(source: object) -> PriceSource:
    """Turn ``"snapshot"``, ``"yahoo"``, ``"auto"`` or a source object into a source.

    Raises
    ------
    EventStudyError
        If ``source`` is neither a known name nor an object with ``get_prices``.
    """
    from ..exceptions import EventStudyError

    if isinstance(source, str):
        key = source.strip().lower()
        factories = _source_factories()
        if key not in factories:
            raise EventStudyError(
                f"source {source!r} is not known; expected one of {', '.join(factories)} "
                "or an object with a get_prices(tickers, start, end) method"
            )
        return factories[key]()
    if hasattr(source, "get_prices") or hasattr(source, "get_returns"):
        return source  # type: ignore[return-value]
    raise EventStudyError(
        f"source must be a name or an object with get_prices(tickers, start, end), "
        f"got {type(source).__name__}"
    )


def _source_factories() -> dict:
    factories: dict = {"snapshot": Snapshot}
    try:  # the live sources arrive with the Yahoo module
        from .auto import Auto
        from .yahoo import Yahoo

        factories.update({"yahoo": Yahoo, "auto": Auto})
    except ImportError:
        factories["auto"] = Snapshot
    return factories
