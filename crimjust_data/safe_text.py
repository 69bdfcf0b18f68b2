"""Text from files, links and other people shown as typed, in places that read Markdown.

Streamlit renders the body of st.caption, st.info/success/warning/error, st.status and
st.spinner, and the labels of widgets and expanders, as Markdown: a file named
`![x](http://host/x.png)` would load an image from that host, `[a](b)` would be a link, and
`**x**` bold. Uploaded names, values and link parameters go through `markdown_literal` before
they reach one of those. (Tables, select options and st.code show text as it is: no need.)
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


def markdown_literal(text: object) -> str:
    """`text` as Markdown that renders as exactly that text, on one line: no link, image,
    emphasis, heading, list, HTML, entity, math or colour directive is made from it."""
    one_line = " ".join(str(text).splitlines())
    unlinked = _AUTOLINK.sub(lambda match: (match.group(1) or "") + WORD_JOINER, one_line)
    return _PUNCTUATION.sub(r"\\\1", unlinked)
