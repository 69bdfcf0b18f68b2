"""Record ids compared as a reader sees them: 'K1', 'k1', ' k 1' and 'k<U+200B>1' are one id.

Ids come from spreadsheets typed by people and exported by other systems, so case, spaces and
invisible characters (zero-width, word joiner, soft hyphen, byte-order mark) are not what tells
two seizures apart. An id is stored as written; every check of "already loaded" or "repeated in
this file" compares `id_key(id)` in Python and `id_key_sql(column)` in SQL, which must give the
same result on both backends (tests/test_ids.py checks it on DuckDB and PostgreSQL).
"""

from __future__ import annotations

import re
from typing import Literal

# Whitespace of every kind and the characters that print as nothing.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_DROPPED = re.compile(rf"[\s{INVISIBLE}]+")

# What Python's \s matches in a str, one by one: SQL's \s is ASCII only (DuckDB's RE2, and
# PostgreSQL in the C locale). tests/test_ids.py checks it against every code point.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Python's lower() uses the full Unicode mapping; the backends' lower() the simple one (ICU's
# aside), which differs in two places: 'İ' becomes 'i' + U+0307, and a capital sigma at the end
# of a word becomes 'ς'. DuckDB gets both from the expressions below, with Unicode's Cased and
# Case_Ignorable written as general categories and the characters these leave out (ordinal
# indicators, Roman numerals, circled and squared letters; the ignorable ones are skipped first).
_CASED = (
    r"\p{Lu}\p{Ll}\p{Lt}"
    "\u00aa\u00ba\u2160-\u217f\u24b6-\u24e9\U0001f130-\U0001f149\U0001f150-\U0001f169"
    "\U0001f170-\U0001f189"
)
_IGNORABLE = (
    r"\p{Mn}\p{Me}\p{Cf}\p{Lm}\p{Sk}"
    "'.:\u00b7\u0387\u055f\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
)
_FINAL_SIGMA = rf"([{_CASED}][{_IGNORABLE}]*)Σ([{_IGNORABLE}]*(?:[^{_CASED}{_IGNORABLE}]|$))"

Dialect = Literal["duckdb", "postgres"]


def id_key(value: object) -> str:
    """The form of an id that comparisons use: without whitespace or invisible characters,
    lower-cased."""
    return _DROPPED.sub("", str(value)).lower()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def id_key_sql(column: str, dialect: Dialect = "duckdb", collation: str | None = None) -> str:
    """SQL computing id_key of the text expression `column`.

    Printable ASCII without spaces, most ids, only needs lower(): the rest is worked on only
    for the other ids (half the time of a check against a million stored ids). PostgreSQL
    lower-cases as Python does only under an ICU collation ("und-x-icu", which the store finds
    and passes as `collation`); under a libc one, 'İ' is mended here, and a final sigma stays
    'σ'. Its result is compared under "C": byte for byte, as Python compares.
    """
    stripped = f"regexp_replace({column}, {_literal(f'[{SPACES}{INVISIBLE}]+')}, '', 'g')"
    dotted = f"replace({stripped}, 'İ', 'i\u0307')"
    if dialect == "postgres":
        return (
            f"CASE WHEN {column} ~ '^[!-~]*$' THEN lower({column} COLLATE \"C\") "
            f'ELSE lower({dotted} COLLATE "{collation or "default"}") COLLATE "C" END'
        )
    sigma = f"regexp_replace({dotted}, {_literal(_FINAL_SIGMA)}, '\\1ς\\2', 'g')"
    return (
        f"CASE WHEN regexp_full_match({column}, '[!-~]*') THEN lower({column}) "
        f"ELSE lower({sigma}) END"
    )
