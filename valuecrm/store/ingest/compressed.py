"""Compressed sources: gzip files read as a stream, zip archives opened to the member to load.

``sales.csv.gz`` is a CSV compressed with gzip: DuckDB reads it directly (streaming), and the
Python walks that need its bytes (encoding detection, transcoding, blank-line checks) open it
with :func:`open_binary`, which decompresses block by block. A zip archive holds files:
:func:`extract_member` copies the one to load (the only data file, or the one named) into a
work folder, in blocks, so memory stays bounded whatever the size.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from valuecrm.errors import SourceError

GZIP_SUFFIX = ".gz"
ZIP_SUFFIX = ".zip"
COPY_BLOCK = 1 << 20


def is_gzip(path: Path) -> bool:
    return path.suffix.lower() == GZIP_SUFFIX


def inner_suffix(path: Path) -> str:
    """The suffix saying what ``path`` holds: ``.csv`` for ``sales.csv.gz`` and ``sales.csv``."""
    if is_gzip(path):
        return Path(path.stem).suffix.lower()
    return path.suffix.lower()


def open_binary(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, decompressed on the fly when it is gzip."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _data_members(archive: zipfile.ZipFile) -> list[str]:
    """The archive's files, without folders and the metadata macOS and Windows add."""
    return [info.filename for info in archive.infolist()
            if not info.is_dir() and not PurePosixPath(info.filename).name.startswith(".")
            and not info.filename.startswith("__MACOSX/")
            and PurePosixPath(info.filename).name.lower() not in ("thumbs.db", "desktop.ini")]


def extract_member(path: Path, member: str | None, folder: Path) -> tuple[Path, str]:
    """Copy one member of the zip archive ``path`` into ``folder``; return the copy and the
    member's name. Without ``member`` the archive must hold exactly one data file; a member may
    be named by its full path in the archive or by its file name."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SourceError(f"{path.name!r} is not a zip archive (or it is damaged).",
                          hint="Check that the download or export is complete.") from None
    with archive:
        members = _data_members(archive)
        listing = ", ".join(members[:20]) + (f" and {len(members) - 20} more"
                                             if len(members) > 20 else "")
        if not members:
            raise SourceError(f"The zip archive {path.name!r} holds no file.",
                              hint="Put the data file in the archive, or load it directly.")
        if member is None:
            if len(members) > 1:
                raise SourceError(
                    f"The zip archive {path.name!r} holds {len(members)} files: {listing}.",
                    hint="Name the one to load with --member NAME.")
            chosen = members[0]
        else:
            named = [m for m in members if m == member or PurePosixPath(m).name == member]
            if len(named) != 1:
                what = "no file" if not named else f"{len(named)} files"
                raise SourceError(f"The zip archive {path.name!r} holds {what} named "
                                  f"{member!r}; it holds: {listing}.",
                                  hint="Name one of these with --member (its full path if "
                                       "two share a name).")
            chosen = named[0]
        target = folder / ("member-" + PurePosixPath(chosen).name)
        try:
            with archive.open(chosen) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, length=COPY_BLOCK)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            raise SourceError(f"{chosen!r} in the zip archive {path.name!r} cannot be "
                              f"extracted: {exc}.",
                              hint="Encrypted archives and damaged ones cannot be read: "
                                   "extract the file and load it directly.") from None
    return target, chosen
