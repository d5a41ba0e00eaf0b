"""Walking: the corpus files under the paths given, each once, and what could not be walked.

The first step of every run: :func:`scan` turns the paths given (files or directories,
walked recursively, hidden entries skipped) into corpus files, in a stable order, for
:mod:`indexer.ingest.readers` and the indexer. Symbolic links are followed, also out of the root,
but a directory or file already reached (by its device and inode) is not visited again, so
a link loop is walked once. What cannot be walked is a :class:`~indexer.ingest.article.Problem`
in one line, with two kinds the indexer keeps the articles of: :class:`UnreadableDir` and
:class:`Missing`. Every path in a Problem is printable, even when the file name is not
valid UTF-8.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import settings
from .article import Problem


class UnreadableDir(Problem):
    """A directory that could not be listed (or a path given that could not be looked
    at): what the index holds from under ``path`` (the path its files are reached by in
    this walk) is still there, not vanished."""

    def __init__(self, path: str, reason: str, real: str | None = None):
        super().__init__(path, reason)
        #: the directory's resolved path (differs from ``path`` when reached by a link)
        self.real = real or path


class Missing(Problem):
    """A path given that does not exist (a typo, an unmounted disk): ``path`` is its
    resolved path, and what the index holds from under it is still there."""


def printable(path: str | os.PathLike) -> str:
    """``path`` as text that prints and encodes anywhere: bytes that are not UTF-8 in a
    file name (which Python keeps as lone surrogates) become ``\\xe9``-style escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def valid_name(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def article_id(file: Path, root: Path) -> str:
    """A file's id: its path relative to the root it was found under, else its name."""
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.name


def _is_corpus_file(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in settings.SUFFIXES


def scan(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str, os.stat_result] | Problem]:
    """``(file, root, stat)`` for every corpus file under ``paths``, once, in a stable order.

    Paths are absolute strings; ``root`` (resolved once) is what ids are relative to: the
    path itself for a directory, the file's folder for a file given by name. A file is
    under the root by the path it was first reached by (a link inside the root stays
    inside). A link to a place inside the root is not followed (that place is walked
    under its own path); a link out of it is. A file or directory reached again (a link
    loop, two links to one place, a root given twice or inside another) is skipped.
    """
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        path = os.path.realpath(raw)
        if not valid_name(path):
            yield Problem(printable(raw), "refused: file name is not valid UTF-8")
            continue
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            yield Missing(printable(path), "not found")
            continue
        except OSError as exc:  # what the index holds from it is kept, as for a folder
            yield UnreadableDir(printable(path), f"unreadable: {exc.strerror or exc}")
            continue
        if os.path.isdir(path):
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                yield from _scan_dir(path, path, path, seen)
        elif not _is_corpus_file(path):
            yield Problem(printable(raw), f"refused: unknown file type {os.path.splitext(path)[1] or '(none)'!r}")
        elif (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            yield path, os.path.dirname(path), st


def _scan_dir(directory: str, real: str, root: str, seen: set[tuple[int, int]]):
    """Walk ``directory`` (whose resolved path is ``real``) depth first."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield UnreadableDir(printable(directory), f"unreadable: {exc.strerror or exc}", printable(real))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            if not is_dir and not (entry.is_file() and _is_corpus_file(entry.name)):
                continue
            if not valid_name(entry.name):
                what = "folder" if is_dir else "file"
                yield Problem(printable(entry.path), f"refused: {what} name is not valid UTF-8")
                continue
            st = entry.stat()
            target = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real, entry.name)
        except OSError as exc:
            yield Problem(printable(entry.path), f"unreadable: {exc.strerror or exc}")
            continue
        if target != os.path.join(real, entry.name) and _walked_in(target, root):
            continue  # a link to a place of this root, walked under its own path
        key = (st.st_dev, st.st_ino)
        if key in seen:
            continue  # a link loop, or a place already reached by another path
        seen.add(key)
        if is_dir:
            yield from _scan_dir(entry.path, target, root, seen)
        else:
            yield entry.path, root, st


def _walked_in(path: str, root: str) -> bool:
    """Whether the walk of ``root`` reaches ``path`` by its own name (inside, not hidden)."""
    relative = os.path.relpath(path, root)
    return (
        relative != ".."
        and not relative.startswith(".." + os.sep)
        and not any(part.startswith(".") for part in relative.split(os.sep) if part != ".")
    )
