"""Text from files, links and other people shown as typed, in places that read Markdown.

Streamlit renders the body of st.caption, st.info/success/warning/error, st.status and
st.spinner, and the labels of widgets and expanders, as Markdown: a file named
`![x](http://host/x.png)` would load an image from that host, `[a](b)` would be a link, and
`**x**` bold. Uploaded names, values and link parameters go through `markdown_literal` before
they reach one of those. (Tables, select options and st.code show text as it is: no need.)

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula: `neutralise` puts an apostrophe before such a sign in text written to a CSV or a
workbook (the exports, the upload report), wherever a reader could start a cell.
"""

from __future__ import annotations

import re
import string

# CommonMark lets a backslash escape any ASCII punctuation, which then shows as itself.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GFM turns bare 'www.x', 'http://x' and 'a@b.c' into links after escapes are undone; an
# invisible word joiner (U+2060) inside each trigger stops it and shows nothing.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|xmpp|www)(?=[:.])|(?=@)")
WORD_JOINER = "\u2060"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a reader may start a cell (the text's start, or after a separator or any line break),
# then spaces and quotes, then a formula sign: an apostrophe goes before the sign.
_STARTS = "[,;\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]"
_CELL_START = re.compile(rf"(^|{_STARTS})([ \"]*)(?=[=+\-@\t\r])")
# The same without a lookahead: a quick test of a whole column (pyarrow's regex engine has none)
NEEDS_SIGN = f'(?:^|{_STARTS})[ "]*[=+\\-@\t\r]'


def markdown_literal(text: object) -> str:
    """`text` as Markdown that renders as exactly that text, on one line: no link, image,
    emphasis, heading, list, HTML, entity, math or colour directive is made from it."""
    one_line = " ".join(str(text).splitlines())
    unlinked = _AUTOLINK.sub(lambda match: (match.group(1) or "") + WORD_JOINER, one_line)
    return _PUNCTUATION.sub(r"\\\1", unlinked)


def neutralise(value: object, *, inside: bool = True) -> object:
    """Text with an apostrophe before every formula sign that a reader could take as the start
    of a cell (`inside` False: only at its start, for a workbook's cell, which no reader
    splits); other values as they are."""
    if not isinstance(value, str):
        return value
    if inside:
        return _CELL_START.sub(r"\1\2'", value)
    return "'" + value if value.lstrip(" ").startswith(FORMULA_START) else value
