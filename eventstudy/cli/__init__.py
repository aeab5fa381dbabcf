"""The ``eventstudy`` command line.

One module per sub-command (``events``, ``run``, ``fetch``, ``cache``); each
exposes ``add_parser(subparsers)`` and ``run(args) -> int``. Bad input ends
with one line on stderr and exit code 2 (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from ..exceptions import EventStudyError

__all__ = ["main", "build_parser"]

#: Sub-command name -> module (relative to this package) implementing it.
COMMANDS = {
    "run": ".run",
    "events": ".events",
    "fetch": ".fetch",
    "cache": ".cache",
}


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit code 2)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _OneLineParser(
        prog="eventstudy",
        description="Stock event studies: abnormal returns, CARs and their tests.",
    )
    parser.add_argument("--version", action="version", version=f"eventstudy {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        try:
            module = import_module(module_name, __name__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(__name__):
                continue  # sub-command not available in this build
            raise
        module.add_parser(subparsers)
    return parser


class _ArgumentError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``eventstudy`` console script."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0) if exc.code in (0, None) else 2
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except (EventStudyError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if args.debug:
            raise
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"eventstudy: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("eventstudy: interrupted", file=sys.stderr)
        return 130
