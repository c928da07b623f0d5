"""Keys for matching names and URLs the way people mean them, not the way they type them."""

from __future__ import annotations

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
    folded = unicodedata.normalize("NFKD", name).casefold()
    if not folded.isascii():  # ASCII has no accents to drop; most names are ASCII
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [w for w in _NOT_WORD_RE.split(folded) if w]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


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
    return company_key(f"{first} {last}")
