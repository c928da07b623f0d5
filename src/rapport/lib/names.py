"""Keys for matching names and URLs the way people mean them, not the way they type them."""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse

_NOT_WORD_RE = re.compile(r"[\W_]+")
# Words that say what kind of company it is, not which one ("Acme Ltd" is "Acme").
LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "co",
        "corp",
        "corporation",
        "company",
        "pty",
        "pvt",
        "srl",
        "spa",
        "oy",
        "ab",
        "as",
        "kk",
    ]
)


def company_key(name: str) -> str:
    """ "ACME, Inc." and "Acme Inc" and "acme" share a key; "Acme Labs" does not."""
    words = _words(name)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _words(text: str) -> list[str]:
    """The text's words, case-folded, accents dropped."""
    if text.isascii():  # ASCII has no accents to drop and no compatibility forms: most names
        return _NOT_WORD_RE.sub(" ", text.lower()).split()
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_WORD_RE.sub(" ", folded).split()


def profile_url_key(url: str) -> str:
    """A LinkedIn profile URL reduced to host-less path: scheme, www, case and slashes dropped."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urllib.parse.urlsplit(url if "://" in url else f"https://{url}")
    except ValueError:  # not a URL at all ("[" reads as a broken IPv6 host): keep it as text
        return url.lower()
    host = parts.netloc.lower().removeprefix("www.")
    path = urllib.parse.unquote(parts.path).rstrip("/").lower()
    return f"{host}{path}"


def person_key(first: str, last: str) -> str:
    """ "José Muñoz-García" and "jose munoz garcia" share a key. Unlike a company's, a
    person's last word is never dropped: "Ana Co" is not "Ana"."""
    return " ".join([*_name_words(first), *_name_words(last)])


@functools.lru_cache(maxsize=16384)  # first names, and many last names, repeat in a network
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_words(name))
