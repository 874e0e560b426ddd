"""Bytes → text, with the checks a user needs to hear about.

Encoding policy (documented in the README):
- UTF-8 is expected. A leading UTF-8 byte-order mark is dropped, so `Document.text` (and every
  offset) starts after it; `doc.meta["bom"]` records that there was one.
- UTF-16 is accepted when the file starts with its byte-order mark.
- Anything else that is not valid UTF-8 is decoded as Windows-1252 (the usual culprit) and the
  document is still audited, but a Problem says so: accented letters may be wrong.
- Line endings are kept exactly (no newline translation), so offsets match the file.
- Empty files and binary files (NUL bytes) are errors: the file is skipped.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path


class IngestError(Exception):
    """A file that cannot be read as an article: becomes a Problem naming the file."""


@dataclass
class Decoded:
    text: str
    encoding: str
    bom: bool = False
    warning: str | None = None  # a Problem to record although the text was decoded


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise IngestError("is a directory, not a file") from None
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except PermissionError:
        raise IngestError("cannot read file: permission denied") from None
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}") from None


def decode(data: bytes, *, html: bool = False) -> Decoded:
    """Decode article bytes by the policy above; raise IngestError for unusable input."""
    if not data.strip():
        raise IngestError("empty file")
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(enc), "utf-16", bom=True)
            except UnicodeDecodeError as e:
                raise IngestError(f"invalid UTF-16 at byte {e.start}") from None
    if b"\x00" in data[:65536]:
        raise IngestError("binary file (contains NUL bytes), expected text")
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    try:
        return Decoded(body.decode("utf-8"), "utf-8", bom=bom)
    except UnicodeDecodeError as e:
        bad = f"byte 0x{body[e.start]:02X} at offset {e.start + (3 if bom else 0)}"
    declared = _declared_charset(body) if html else None
    if declared:
        try:
            return Decoded(body.decode(declared), declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError(f"not valid UTF-8 ({bad}) and not Windows-1252 either; "
                          "convert the file to UTF-8") from None
    return Decoded(text, "cp1252", warning=f"not valid UTF-8 ({bad}); decoded as Windows-1252, "
                                           "check accented letters (better: convert the file to UTF-8)")


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    return None if name.replace("-", "") == "utf8" else name
