"""One rule for text a person types or uploads (names, notes, key sources, file and sheet names, headers).

Applied at the edge (upload reader and validation, the classification editor, forms) so the warehouse never
holds control characters, bidi overrides or invisible format characters, and again when stored text is read,
so rows written before the rule existed are shown clean too. Format rules (formulas, markdown, XML) belong
to the renderers in ui/, which defend themselves anyway.
"""
from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newlines, DEL, bidi embeddings/overrides/isolates and marks, zero-width and
# other invisible format characters, lone surrogates and non-characters.
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
                   "\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_BLANKS = re.compile(r"[ \t\n\u00a0]+")
_INLINE_BLANKS = re.compile(r"[ \t\u00a0]+")


def clean_text(value, max_len: int | None = None, *, multiline: bool = False) -> str:
    """The stored and shown form of a user's text: NFC, no control or bidi characters, runs of blanks as one
    space (newlines kept only in multi-line notes), trimmed, at most `max_len` characters."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(value))
    text = unicodedata.normalize("NFC", _DROP.sub("", text))
    if multiline:
        text = "\n".join(_INLINE_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    else:
        text = _BLANKS.sub(" ", text).strip()
    return text[:max_len] if max_len is not None else text


def is_clean(value: str, multiline: bool = False) -> bool:
    return clean_text(value, multiline=multiline) == value
