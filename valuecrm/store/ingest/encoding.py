"""Text files in any encoding: detect it, and re-encode to UTF-8 for DuckDB in a streaming way.

DuckDB reads UTF-8 only (its ``encodings`` extension needs a download), so a GBK / GB18030 file
exported by Chinese Excel, or a UTF-16 "Unicode text" file, is transcoded block by block into a
temporary UTF-8 file first: memory stays bounded whatever the file size. A gzip file
(``.csv.gz``) is decompressed on the fly for both.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from valuecrm.errors import SourceError
from valuecrm.store.ingest.compressed import open_binary

SAMPLE_BYTES = 1 << 16
BLOCK_BYTES = 1 << 22
UTF8 = "utf-8"


def _canonical(encoding: str) -> str:
    """Python's name for ``encoding`` (GBK and GB2312 widened to their superset GB18030)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise SourceError(
            f"Unknown text encoding {encoding!r}.",
            hint="Use a Python codec name such as utf-8, gb18030, gbk, big5, latin-1 or utf-16.",
        ) from None
    return "gb18030" if name in ("gbk", "gb2312") else name


def is_utf8(encoding: str) -> bool:
    return _canonical(encoding) in ("utf-8", "utf-8-sig")


def _decodes(sample: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    return controls > max(2, len(text) // 100)


def _not_text(path: Path, what: str) -> SourceError:
    return SourceError(
        f"{path.name!r} is not a text CSV: {what}.",
        hint="Check that it is the file you meant; spreadsheets must be saved as .xlsx or CSV.",
    )


def detect_encoding(path: Path) -> str:
    """The encoding of the text file ``path``: UTF-8 (with or without BOM), UTF-16 with a BOM,
    GB18030 when the bytes decode as GB18030 with Chinese text in them, else charset-normalizer's
    best guess. A file with binary content raises :class:`SourceError`."""
    with open_binary(path) as file:
        sample = file.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise _not_text(path, "it contains binary data (NUL bytes)")
    text = _decodes(sample, UTF8)
    if text is not None:
        if _looks_binary(text):
            raise _not_text(path, "it contains binary control characters")
        return UTF8
    text = _decodes(sample, "gb18030")
    if text is not None and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or _looks_binary(str(best)):
        raise _not_text(path, "its bytes are not text in any encoding valuecrm recognises")
    return _canonical(best.encoding)


def transcode_to_utf8(path: Path, encoding: str, target: Path) -> Path:
    """Copy ``path`` (in ``encoding``) to ``target`` in UTF-8, block by block."""
    decoder = codecs.getincrementaldecoder(_canonical(encoding))(errors="strict")
    newlines = 0
    with open_binary(path) as source, target.open("w", encoding=UTF8, newline="") as out:
        while block := source.read(BLOCK_BYTES):
            try:
                out.write(decoder.decode(block))
            except UnicodeDecodeError as exc:
                line = newlines + block[: max(exc.start, 0)].count(b"\n") + 1
                raise SourceError(
                    f"{path.name!r} cannot be read as {encoding}: bytes near line {line} are "
                    f"not valid in that encoding ({exc.reason}).",
                    hint="Give the file's encoding with --encoding (e.g. gb18030, big5, latin-1),"
                         " or save it from Excel as 'CSV UTF-8'.",
                ) from None
            newlines += block.count(b"\n")
        out.write(decoder.decode(b"", final=True))
    return target
