"""``eventstudy events EVENTS.csv``: print the validated events with day 0."""

from __future__ import annotations

import argparse

import pandas as pd


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "events",
        help="validate an events file and print each event with its day 0",
        description="Validate an events CSV and print each event with its day-0 session.",
    )
    p.add_argument("path", help="events CSV (event_id,ticker,date[,time,kind,title,source])")
    p.add_argument("--calendar", default="XNYS", help="exchange calendar code (default XNYS)")
    p.add_argument(
        "--returns",
        action="store_true",
        help="also show each ticker's and the market's return on day 0 (bundled snapshot)",
    )
    p.add_argument("--market", default="SPY", help="market ticker for --returns (default SPY)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..events import load_events

    events = load_events(args.path, calendar=args.calendar)
    table = events[["event_id", "ticker", "date", "time", "day0", "kind"]].copy()
    if args.returns:
        from ..datasets import load_prices
        from ..sources.base import prices_to_returns

        tickers = sorted(set(events["ticker"]) | {args.market})
        rets = prices_to_returns(load_prices(tickers))

        def ret_on(ticker: str, day: pd.Timestamp) -> float:
            if ticker in rets.columns and day in rets.index:
                return float(rets.at[day, ticker])
            return float("nan")

        table["ret_day0"] = [ret_on(t, d) for t, d in zip(events["ticker"], events["day0"])]
        table[f"{args.market}_day0"] = [ret_on(args.market, d) for d in events["day0"]]
        for col in ("ret_day0", f"{args.market}_day0"):
            table[col] = table[col].map(lambda v: "" if pd.isna(v) else f"{v:+.2%}")
    for col in ("date", "day0"):
        table[col] = table[col].dt.strftime("%Y-%m-%d")
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.to_string(index=False))
    unknown = int((events["time"] == "unknown").sum())
    print(
        f"\n{len(events)} events; day 0 on the {args.calendar} calendar "
        f"(amc -> next session; weekends/holidays roll forward); "
        f"{unknown} with time 'unknown' (treated as intraday)."
    )
    return 0
