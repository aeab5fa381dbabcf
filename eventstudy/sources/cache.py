"""The on-disk download cache shared by the live sources.

Layout: one folder per source (``yahoo/``, ``famafrench/``) under the cache
root, one gzip-compressed CSV per key (a ticker, or the factor table). The
first line of each file is a JSON header (``# eventstudy-cache {...}``) that
records, among other things, the span of dates that was requested and
fetched, so a range without trading days is not fetched again and again.
Files are never pickles.

Writes are atomic: the file is written to a temporary name in the same folder
and moved into place with :func:`os.replace`, so an interrupted write leaves
the previous file intact. A file that cannot be read is reported with a
:class:`~eventstudy.exceptions.CacheWarning`, renamed aside
(``<name>.corrupt-<timestamp>``) and treated as absent; nothing else in the
cache is touched.

The root is, in order of precedence: the ``cache_dir`` argument, the
``EVENTSTUDY_CACHE`` environment variable, or the platform's user cache
folder (``platformdirs.user_cache_dir("eventstudy")``, e.g.
``~/.cache/eventstudy`` on Linux).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
import warnings
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd

from ..exceptions import CacheWarning, EventStudyError

__all__ = [
    "CACHE_ENV",
    "CacheStore",
    "CachedTable",
    "default_cache_dir",
    "resolve_cache_dir",
    "atomic_write",
    "cache_summary",
    "clear_cache",
]

#: Environment variable that overrides the default cache root.
CACHE_ENV = "EVENTSTUDY_CACHE"
#: Sub-folders managed by eventstudy (``cache clear`` removes only these).
NAMESPACES = ("yahoo", "famafrench")

_MAGIC = "# eventstudy-cache "
_SUFFIX = ".csv.gz"
_FORMAT = 1
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}
_WINDOWS_RESERVED |= {f"LPT{i}" for i in range(10)}


def default_cache_dir() -> Path:
    """The cache root when no ``cache_dir`` is given.

    ``$EVENTSTUDY_CACHE`` if set, else ``platformdirs.user_cache_dir("eventstudy")``.
    """
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("eventstudy", appauthor=False))


def resolve_cache_dir(cache_dir: str | os.PathLike | None) -> Path:
    """``cache_dir`` as a Path, or :func:`default_cache_dir` when it is None."""
    if cache_dir is None:
        return default_cache_dir()
    if not isinstance(cache_dir, (str, os.PathLike)) or str(cache_dir).strip() == "":
        raise EventStudyError(f"cache_dir must be a folder path or None, got {cache_dir!r}")
    return Path(cache_dir).expanduser()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, ``os.replace``).

    On any failure, including an interruption, the temporary file is removed
    and ``path`` keeps its previous content; the exception propagates.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class CachedTable:
    """One cache file: its header (``meta``) and its rows (``frame``, indexed by ``date``)."""

    key: str
    meta: dict
    frame: pd.DataFrame
    path: Path


class _CorruptCache(Exception):
    """Internal: a cache file could not be parsed."""


class CacheStore:
    """The cache files of one source (a sub-folder of the cache root).

    Parameters
    ----------
    root : path-like
        The cache root (see :func:`resolve_cache_dir`).
    namespace : str
        Sub-folder name, e.g. ``"yahoo"``.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> store = CacheStore(tempfile.mkdtemp(), "demo")
    >>> frame = pd.DataFrame({"close": [1.0, 2.0]},
    ...                      index=pd.DatetimeIndex(["2025-01-02", "2025-01-03"], name="date"))
    >>> store.save("ABC", frame, {"span": ["2025-01-01", "2025-01-03"]})
    True
    >>> store.load("ABC").frame["close"].tolist()
    [1.0, 2.0]
    """

    def __init__(self, root: str | os.PathLike, namespace: str) -> None:
        if root is None:
            raise EventStudyError("root must be the cache folder, got None")
        self.root = resolve_cache_dir(root)
        self.namespace = namespace
        self.read_only = False  # set after a failed write: the cache is then only read

    def __repr__(self) -> str:
        return f"CacheStore({str(self.directory)!r})"

    @property
    def directory(self) -> Path:
        """The folder holding this source's files."""
        return self.root / self.namespace

    def path(self, key: str) -> Path:
        """File path of ``key`` (percent-encoded so that any ticker is a valid name)."""
        name = quote(key, safe="-_.=^")
        if name.split(".")[0].upper() in _WINDOWS_RESERVED:
            name = f"%{ord(name[0]):02X}{name[1:]}"  # "CON" -> "%43ON", still decodable
        return self.directory / f"{name}{_SUFFIX}"

    def keys(self) -> list[str]:
        """Keys with a cache file, sorted."""
        if not self.directory.is_dir():
            return []
        names = [p.name[: -len(_SUFFIX)] for p in self.directory.glob(f"*{_SUFFIX}")]
        return sorted(unquote(n) for n in names)

    def load(self, key: str) -> CachedTable | None:
        """The cached table of ``key``, or None if absent.

        A corrupt or unreadable file is set aside with a
        :class:`~eventstudy.exceptions.CacheWarning` and None is returned.
        """
        path = self.path(key)
        if not path.exists():
            return None
        try:
            meta, frame = _read(path)
        except (_CorruptCache, OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            aside = self._set_aside(path)
            where = f"moved to {aside.name}" if aside else "could not be moved aside"
            warnings.warn(
                f"cache file {path} is unreadable ({_reason(exc)}); it was {where} and the "
                f"data will be downloaded again",
                CacheWarning,
                stacklevel=3,
            )
            return None
        return CachedTable(key, meta, frame, path)

    def save(self, key: str, frame: pd.DataFrame, meta: dict) -> bool:
        """Write ``frame`` (indexed by date) with header ``meta`` atomically.

        Returns False, with a :class:`~eventstudy.exceptions.CacheWarning`,
        when the file cannot be written (read-only folder, full disk); the
        previous file, if any, is left intact, and the store falls back to
        read-only use (later saves return False without trying or warning
        again; loads go on).
        """
        if self.read_only:
            return False
        path = self.path(key)
        header = {"format": _FORMAT, "key": key, **meta}
        header["written"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        body = frame.to_csv(index_label="date", date_format="%Y-%m-%d", lineterminator="\n")
        text = _MAGIC + json.dumps(header, sort_keys=True) + "\n" + body
        try:
            atomic_write(path, gzip.compress(text.encode("utf-8"), mtime=0))
        except OSError as exc:
            self.read_only = True
            warnings.warn(
                f"could not write cache file {path} ({_reason(exc)}); the cache folder "
                f"{self.directory} is used read-only from now on: cached data are still "
                "read, and data fetched now will be downloaded again next time",
                CacheWarning,
                stacklevel=3,
            )
            return False
        return True

    def clear(self) -> list[Path]:
        """Remove every file of this source (data, set-aside and temporary files)."""
        removed: list[Path] = []
        if not self.directory.is_dir():
            return removed
        for item in sorted(self.directory.iterdir()):
            if item.is_file():
                item.unlink()
                removed.append(item)
        with contextlib.suppress(OSError):
            self.directory.rmdir()
        return removed

    def _set_aside(self, path: Path) -> Path | None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        aside = path.with_name(f"{path.name}.corrupt-{stamp}")
        try:
            os.replace(path, aside)
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return aside


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _read(path: Path) -> tuple[dict, pd.DataFrame]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    first, _, body = text.partition("\n")
    if not first.startswith(_MAGIC):
        raise _CorruptCache("missing eventstudy-cache header")
    try:
        meta = json.loads(first[len(_MAGIC) :])
    except json.JSONDecodeError as exc:
        raise _CorruptCache(f"bad header ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise _CorruptCache(f"unsupported header {first[:80]!r}")
    try:
        frame = pd.read_csv(io.StringIO(body), index_col="date")
        frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index, format="%Y-%m-%d"), name="date")
        frame = frame.astype(float)
    except (ValueError, KeyError, TypeError, pd.errors.ParserError) as exc:
        raise _CorruptCache(f"bad table ({exc})") from None
    if not frame.index.is_monotonic_increasing or frame.index.has_duplicates:
        raise _CorruptCache("dates are not increasing")
    return meta, frame


def cache_summary(cache_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per cache file under the root.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, key, first, last, rows, bytes, path``; ``first`` and
        ``last`` are the first and last dates with data (None for an
        unreadable file, which is set aside with a warning).
    """
    root = resolve_cache_dir(cache_dir)
    rows = []
    for namespace in NAMESPACES:
        store = CacheStore(root, namespace)
        for key in store.keys():
            table = store.load(key)
            if table is None:
                continue
            frame = table.frame
            rows.append(
                {
                    "source": namespace,
                    "key": key,
                    "first": f"{frame.index[0]:%Y-%m-%d}" if len(frame) else None,
                    "last": f"{frame.index[-1]:%Y-%m-%d}" if len(frame) else None,
                    "rows": len(frame),
                    "bytes": table.path.stat().st_size,
                    "path": str(table.path),
                }
            )
    columns = ["source", "key", "first", "last", "rows", "bytes", "path"]
    return pd.DataFrame(rows, columns=columns)


def clear_cache(cache_dir: str | os.PathLike | None = None) -> list[Path]:
    """Remove every file eventstudy cached under the root; return the removed paths.

    Only the ``yahoo/`` and ``famafrench/`` sub-folders are touched, so a
    mistaken ``cache_dir`` cannot delete unrelated files.
    """
    root = resolve_cache_dir(cache_dir)
    removed: list[Path] = []
    for namespace in NAMESPACES:
        removed.extend(CacheStore(root, namespace).clear())
    return removed
