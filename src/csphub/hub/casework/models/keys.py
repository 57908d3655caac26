"""Matching keys for names and postcodes, stored on the rows so that candidates are found
by an indexed lookup (blocking) before any fuzzy score is computed."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def fold(text: str) -> str:
    """Lower case, accents removed, letters and single spaces only: "O'Brien-Smith" ->
    "obrien smith"."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    plain = plain.lower().replace("'", "").replace("-", " ")
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", plain)).strip()


def name_key(given: str, family: str) -> str:
    """The folded full name, family name first (what trigram and fuzzy scores compare)."""
    return f"{fold(family)} {fold(given)}".strip()


def phonetic(word: str) -> str:
    """The Metaphone key of a folded word ("" for none): Smith and Smyth share one."""
    word = fold(word).replace(" ", "")
    return jellyfish.metaphone(word)[:20] if word else ""


def postcode(text: str) -> str:
    """A UK postcode in its standard form ("fy1 1aa" -> "FY1 1AA"), or the input upper
    cased and trimmed when it is not one (a partial postcode typed into search)."""
    compact = _SPACES.sub("", (text or "").upper())
    found = _POSTCODE.match(compact)
    return f"{found.group(1)} {found.group(2)}" if found else (text or "").strip().upper()
