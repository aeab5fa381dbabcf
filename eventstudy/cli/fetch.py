"""``eventstudy fetch TICKER... --start DATE [--end DATE]``: warm the download cache.

Downloads what the cache lacks (nothing if it already covers the range) and
prints, per ticker, the first and last cached date and the number of rows.
"""

from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from ..exceptions import EventStudyWarning


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "fetch",
        help="download prices from Yahoo Finance into the cache and show what it holds",
        description=(
            "Download daily adjusted closes from Yahoo Finance into the on-disk cache "
            "(only the dates it does not hold yet) and print what the cache holds."
        ),
    )
    p.add_argument("tickers", nargs="+", metavar="TICKER", help="Yahoo symbols, e.g. META ^GSPC")
    p.add_argument("--start", required=True, help="first date, YYYY-MM-DD")
    p.add_argument("--end", default=None, help="last date, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--cache-dir",
        default=None,
        help="cache root (default: $EVENTSTUDY_CACHE or the user cache)",
    )
    p.add_argument("--refresh", action="store_true", help="download again even if cached")
    p.add_argument(
        "--factors", action="store_true", help="also fetch the Fama-French daily factors"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..sources import FamaFrench, Yahoo

    end = args.end if args.end is not None else f"{pd.Timestamp.today():%Y-%m-%d}"
    yahoo = Yahoo(args.cache_dir, refresh=args.refresh)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EventStudyWarning)
        prices = yahoo.get_prices(args.tickers, args.start, end)
        factors = (
            FamaFrench(args.cache_dir, refresh=args.refresh).get_factors(args.start, end)
            if args.factors
            else None
        )
    for item in caught:
        print(f"eventstudy: warning: {item.message}", file=sys.stderr)
    info = yahoo.cache_info(list(prices.columns))
    print(f"cache: {yahoo.cache_dir} (requested {args.start} to {end})")
    table = info[["ticker", "first", "last", "rows"]].copy()
    table["in_range"] = [int(prices[t].notna().sum()) for t in table["ticker"]]
    print(table.to_string(index=False))
    if factors is not None:
        src = factors.attrs["source"]
        print(f"factors ({src['name']}): {src['first']} to {src['last']}, {len(factors)} rows")
    return 0
