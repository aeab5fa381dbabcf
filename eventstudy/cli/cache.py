"""``eventstudy cache info|clear``: show or empty the download cache."""

from __future__ import annotations

import argparse
import os
import sys

from ..exceptions import EventStudyError


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "cache",
        help="show or clear the download cache (Yahoo prices, Fama-French factors)",
        description="Show or clear the on-disk cache of downloaded prices and factors.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="print the cache folder and what it holds")
    clear = actions.add_parser("clear", help="remove every cached file")
    clear.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    for sub in (info, clear):
        sub.add_argument(
            "--cache-dir",
            default=None,
            help="cache root (default: $EVENTSTUDY_CACHE or the user cache folder)",
        )
    info.set_defaults(handler=run_info)
    clear.set_defaults(handler=run_clear)


def _where(cache_dir: str | None) -> str:
    from ..sources.cache import CACHE_ENV

    if cache_dir is not None:
        return "--cache-dir"
    if os.environ.get(CACHE_ENV, "").strip():
        return f"${CACHE_ENV}"
    return "user cache folder"


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def run_info(args: argparse.Namespace) -> int:
    from ..sources.cache import cache_summary, resolve_cache_dir

    root = resolve_cache_dir(args.cache_dir)
    print(f"cache directory: {root} ({_where(args.cache_dir)})")
    summary = cache_summary(root)
    if summary.empty:
        print("empty")
        return 0
    table = summary[["source", "key", "first", "last", "rows"]].copy()
    table["size"] = summary["bytes"].map(_size)
    print(table.to_string(index=False))
    print(f"{len(summary)} file(s), {_size(int(summary['bytes'].sum()))}")
    return 0


def run_clear(args: argparse.Namespace) -> int:
    from ..sources.cache import NAMESPACES, clear_cache, resolve_cache_dir

    root = resolve_cache_dir(args.cache_dir)
    files = [p for ns in NAMESPACES if (root / ns).is_dir() for p in (root / ns).iterdir()]
    if not files:
        print(f"cache directory {root} holds nothing to clear")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise EventStudyError(
                f"cache clear would remove {len(files)} file(s) from {root}; pass --yes to confirm"
            )
        answer = input(f"Remove {len(files)} cached file(s) from {root}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing removed")
            return 1
    removed = clear_cache(root)
    print(f"removed {len(removed)} file(s) from {root}")
    return 0
