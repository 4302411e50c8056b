"""Read a plan file into Unicode text.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1258 (converted).
Refused with a clear message: empty or binary files, and text in the pre-Unicode
Vietnamese font encodings TCVN3 (ABC) and VNI, which Python has no codec for and which
cannot be told apart from Latin-1 mojibake reliably enough to convert without a table
we could verify. The text is NFC-normalised: offsets everywhere in kehoach refer to
this NFC text (identical to the file's characters for the usual NFC UTF-8 files).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import LegacyEncodingError, UnreadableFileError

MAX_BYTES = 20 * 1024 * 1024  # a plan is tens of KB; refuse anything absurdly large

# Characters that only appear in Vietnamese text when it was typed in a legacy font
# encoding and then read as Latin-1/Windows-1252 (TCVN3/ABC and VNI signatures).
# (Only symbols: TCVN3 also reuses letters like "Ê" or "Í" that real Vietnamese text has.)
_TCVN3_MARKERS = re.compile(r"[¸µ¶·¹¨©ª«¬®§»¼½¾\xad×]")
_VNI_MARKERS = re.compile(r"[aAeEoOuU][ùøûõïÙØÛÕÏ]|[ñÑ][aeiouAEIOU]|[äâêôÄÂÊÔ][ùøûõïÙØÛÕÏ]")
_VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


@dataclass(frozen=True)
class SourceText:
    path: str
    text: str  # NFC
    encoding: str
    sha256: str


def read_plan_text(path: str | Path) -> SourceText:
    """Read and decode one file, or raise UnreadableFileError with the reason."""
    p = Path(path)
    if not p.exists():
        raise UnreadableFileError(f"{p}: no such file")
    if p.is_dir():
        raise UnreadableFileError(f"{p}: is a directory, not a plan file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    return decode_plan_bytes(data, str(p))


def decode_plan_bytes(data: bytes, name: str = "<bytes>") -> SourceText:
    if len(data) > MAX_BYTES:
        raise UnreadableFileError(f"{name}: {len(data)} bytes is larger than the {MAX_BYTES} byte limit for one plan")
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file is empty")
    text, encoding = _decode(data, name)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    _refuse_legacy_font_encodings(text, name)
    return SourceText(path=name, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(f"{name}: starts like UTF-16 but does not decode ({exc.reason})") from exc
    if _looks_binary(data):
        raise UnreadableFileError(f"{name}: binary data, not a text file (convert PDF/DOC plans to text first)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8. Windows-1258 is the one legacy Vietnamese encoding with a codec; accept
    # it only when the result really reads as Vietnamese.
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"{name}: not UTF-8 and not Windows-1258 ({exc.reason} at byte {exc.start})") from exc
    nfc = unicodedata.normalize("NFC", text)
    if len(_VIETNAMESE_LETTERS.findall(nfc)) >= max(3, len(nfc) // 200) and not _TCVN3_MARKERS.search(nfc):
        return text, "cp1258"
    _refuse_legacy_font_encodings(text, name)
    raise UnreadableFileError(f"{name}: not UTF-8, and no known Vietnamese encoding fits; save it as UTF-8")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def _refuse_legacy_font_encodings(text: str, name: str) -> None:
    """Refuse text typed in TCVN3 (ABC) or VNI fonts, whichever way it reached us."""
    sample = text[:20000]
    words = max(1, len(sample.split()))
    real = len(_VIETNAMESE_LETTERS.findall(sample))
    tcvn3 = len(_TCVN3_MARKERS.findall(sample))
    vni = len(_VNI_MARKERS.findall(sample))
    if tcvn3 > words * 0.05 and tcvn3 > real:
        raise LegacyEncodingError(
            f"{name}: looks like TCVN3 (ABC) legacy font encoding; convert it to Unicode UTF-8 "
            "(e.g. with UniKey's converter) and ingest again"
        )
    if vni > words * 0.05 and vni > real:
        raise LegacyEncodingError(
            f"{name}: looks like VNI legacy font encoding; convert it to Unicode UTF-8 "
            "(e.g. with UniKey's converter) and ingest again"
        )
