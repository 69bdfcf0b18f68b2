"""Record ids compared as a reader sees them: 'K1', 'k1', ' k 1' and 'k<U+200B>1' are one id.

Ids come from spreadsheets typed by people and exported by other systems, so case, spaces and
invisible characters (zero-width, word joiner, soft hyphen, byte-order mark) are not what tells
two seizures apart. An id is stored as written; every check of "already loaded" or "repeated in
this file" compares `id_key(id)` in Python and `id_key_sql(column)` in SQL, which must give the
same result on both backends (tests/test_ids.py checks it on DuckDB and PostgreSQL).
"""

from __future__ import annotations

import re

# Whitespace of every kind and the characters that print as nothing.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_DROPPED = re.compile(rf"[\s{INVISIBLE}]+")


def id_key(value: object) -> str:
    """The form of an id that comparisons use: without whitespace or invisible characters,
    lower-cased."""
    return _DROPPED.sub("", str(value)).lower()


def id_key_sql(column: str) -> str:
    """SQL computing id_key of the text expression `column` (DuckDB and PostgreSQL)."""
    return f"lower(regexp_replace({column}, '[\\s{INVISIBLE}]+', '', 'g'))"
