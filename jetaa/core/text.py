"""Text folding for search: one key per name, the same in Python and in the index."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ð": "d",
                          "þ": "th", "ı": "i"})
# The Japanese voicing marks are part of the kana, not accents: keep them.
_KANA_MARKS = {"\u3099", "\u309a"}


def _katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def search_key(text: str) -> str:
    """Case-, accent-, width- and kana-insensitive form of `text`.

    "José Núñez" -> "jose nunez"; "ＴＡＮＡＫＡ" -> "tanaka"; "タナカ" -> "たなか".
    """
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed
                       if not unicodedata.combining(c) or c in _KANA_MARKS)
    text = unicodedata.normalize("NFC", stripped)
    return " ".join(_katakana_to_hiragana(text).split())
