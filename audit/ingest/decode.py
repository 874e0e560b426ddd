"""Bytes → text, with the checks a user needs to hear about.

Encoding policy (documented in the README):
- UTF-8 is expected. A leading UTF-8 byte-order mark is dropped, so `Document.text` (and every
  offset) starts after it; `doc.meta["bom"]` records that there was one.
- UTF-16 is accepted when the file starts with its byte-order mark.
- Anything else that is not valid UTF-8 is decoded as Windows-1252 (the usual culprit) and the
  document is still audited, but a Problem says so: accented letters may be wrong.
- Line endings are kept exactly (no newline translation), so offsets match the file.
- Empty files and binary files (a NUL byte anywhere, or a NUL character after decoding) are
  errors: the file is skipped.
- Only regular files are read: a FIFO, socket or device is an error (opened non-blocking, so a
  FIFO can never hang the run), and so is a file larger than the caller's byte limit.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
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


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes; IngestError when it is not a readable regular file (or over `max_bytes`).

    Opened with O_NONBLOCK and checked with fstat on the open descriptor, so a FIFO put where a
    file was planned is refused at once instead of blocking the run forever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise IngestError("is a directory, not a file") from None
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except PermissionError:
        raise IngestError("cannot read file: permission denied") from None
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IngestError("is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise IngestError(f"not a regular file ({file_kind(st.st_mode)}); only regular files are read")
        if max_bytes is not None and st.st_size > max_bytes:
            raise IngestError(f"file too large ({st.st_size:,} bytes, limit {max_bytes:,})")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}") from None
    finally:
        os.close(fd)


def file_kind(mode: int) -> str:
    """A plain name for a non-regular file type, for problem lines."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def decode(data: bytes, *, html: bool = False) -> Decoded:
    """Decode article bytes by the policy above; raise IngestError for unusable input."""
    if not data.strip():
        raise IngestError("empty file")
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as e:
                raise IngestError(f"invalid UTF-16 at byte {e.start}") from None
            check_text(text)
            return Decoded(text, "utf-16", bom=True)
    if b"\x00" in data:        # the whole file: a NUL after the first 64 kB is binary too
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


def check_text(text: str) -> None:
    """Decoded text must hold no NUL character: it is binary data, and it would reach the
    reports raw (a UTF-16 file, a JSONL "\\u0000" escape)."""
    at = text.find("\x00")
    if at >= 0:
        raise IngestError(f"binary content (NUL character at position {at:,}), expected text")
