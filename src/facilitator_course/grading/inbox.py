"""What a trainer's inbox holds: the submission files of a folder or a zip, read safely.

An inbox comes from outside (an LMS download, a shared drive, a trainee's zip). Nothing
in it is followed, extracted or trusted: links are refused, a zip entry that would
leave the folder, is encrypted, is a link, is corrupt or is too large is refused by
name, and file names are shown with control characters escaped.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from ..errors import CourseError, Problem

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # a plain-words submission is a few kilobytes
MAX_ENTRIES = 20_000  # files in one inbox


@dataclass
class Submitted:
    """One notebook found in the inbox."""

    name: str  # its path inside the inbox, as the LMS named it
    data: bytes
    modified: float  # seconds since the epoch: when the LMS stored it


@dataclass
class Inbox:
    notebooks: list[Submitted] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    ignored: list[str] = field(default_factory=list)  # not notebooks


def shown(name: str) -> str:
    """A file name as it can be printed safely: control and format characters escaped."""
    return "".join(_escaped(ch) if unicodedata.category(ch)[0] == "C" else ch for ch in name)


def _escaped(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"


def _wanted(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return name.endswith(".ipynb") and ".ipynb_checkpoints" not in parts and "__MACOSX" not in parts


def read_inbox(source: Path) -> Inbox:
    """Every notebook in a folder or zip `source`, and what was refused or ignored."""
    source = Path(source)
    if source.is_symlink():
        raise CourseError(
            Problem(source, 0, "the inbox is a link.", "pass the folder or zip itself.")
        )
    if source.is_dir():
        return _read_folder(source)
    if source.is_file() and (source.suffix.lower() == ".zip" or zipfile.is_zipfile(source)):
        return _read_zip(source)
    raise CourseError(
        Problem(
            source,
            0,
            "not a folder or a zip file.",
            "pass the folder or the zip your LMS gave you.",
        )
    )


def _read_folder(root: Path) -> Inbox:
    inbox = Inbox()
    count = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                inbox.refused.append((_rel(here / d, root), "a link to a folder: not followed"))
        for f in sorted(files):
            path = here / f
            name = _rel(path, root)
            count += 1
            if count > MAX_ENTRIES:
                raise CourseError(_too_many(root))
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                inbox.refused.append((name, "a link, not a file: not followed"))
            elif not stat.S_ISREG(info.st_mode):
                inbox.refused.append((name, "not a regular file"))
            elif not _wanted(name):
                inbox.ignored.append(name)
            elif info.st_size > MAX_NOTEBOOK_BYTES:
                inbox.refused.append((name, _too_big(info.st_size)))
            else:
                with path.open("rb") as fh:
                    data = fh.read(MAX_NOTEBOOK_BYTES + 1)
                inbox.notebooks.append(Submitted(name, data, info.st_mtime))
    return inbox


def _read_zip(source: Path) -> Inbox:
    inbox = Inbox()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CourseError(
            Problem(
                source,
                0,
                f"the zip file cannot be read ({shown(str(exc))}).",
                "download it again from the LMS; if it came from a trainee, ask for it again.",
            )
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise CourseError(_too_many(source))
        for info in entries:
            name = info.filename
            why = _zip_refusal(info)
            if why:
                inbox.refused.append((name, why))
                continue
            if info.is_dir():
                continue
            if not _wanted(name):
                inbox.ignored.append(name)
                continue
            try:
                with archive.open(info) as fh:
                    data = fh.read(MAX_NOTEBOOK_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
                inbox.refused.append((name, f"corrupt in the zip ({shown(str(exc))})"))
                continue
            if len(data) > MAX_NOTEBOOK_BYTES:
                inbox.refused.append((name, _too_big(len(data))))
                continue
            try:
                modified = datetime(*info.date_time).timestamp()
            except (ValueError, OverflowError):
                modified = 0.0
            inbox.notebooks.append(Submitted(name, data, modified))
    return inbox


def _zip_refusal(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry is refused, or None."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in info.filename.split("/")[0]:
        return "its path leaves the folder (absolute or with ..): not extracted"
    if info.flag_bits & 0x1:
        return "encrypted: ask for the zip without a password"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a link, not a file: not extracted"
    if info.file_size > MAX_NOTEBOOK_BYTES and _wanted(info.filename):
        return _too_big(info.file_size)
    return None


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def _too_big(size: int) -> str:
    return (
        f"{size / 1024 / 1024:.0f} MB, larger than a submission can be "
        f"({MAX_NOTEBOOK_BYTES // 1024 // 1024} MB): not read"
    )


def _too_many(where: Path) -> Problem:
    return Problem(
        where,
        0,
        f"more than {MAX_ENTRIES} files: this is not an assignment download.",
        "pass the download of one assignment.",
    )
