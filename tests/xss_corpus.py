"""Hostile text for the tests that put uploaded content on pages, in charts and in exports.

Each entry would, if rendered as markup rather than shown as text, run script, load something
from another host, make a link, or change the page's formatting. Markers in the entries
('xss-...') let a test spot any request they cause, wherever it goes. `example.invalid` never
resolves (RFC 2606), and the browser tests block every non-local request anyway.
"""

from __future__ import annotations

import re

PAYLOADS: tuple[str, ...] = (
    "<script>alert('xss-script')</script>",
    "<img src=xss-img.png onerror=alert('xss-img')>",
    "<svg onload=alert('xss-svg')>",
    "javascript:alert('xss-js')",
    "[click](javascript:alert('xss-mdlink'))",
    "![x](http://example.invalid/xss-mdimg.png)",
    "<a href=\"javascript:alert('xss-a')\">x</a>",
    "\"><script>alert('xss-break')</script>",
    "'><img src=xss-quote.png onerror=alert('xss-quote')>",
    "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    "<b onmouseover=alert('xss-hover')>bold</b>",
    '<a href="http://example.invalid/xss-link">link</a>',
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "# Heading **bold** _it_ ~~gone~~ `code` | a | b |",
    "&lt;b&gt;entity&lt;/b&gt; &#60;i&#62; &amp;",
    ":red[red] $x^2$ :material/home: http://example.invalid/xss-auto www.example.invalid",
    '=HYPERLINK("http://example.invalid/xss-formula","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
)

# Only markup made from the corpus would put a marker into an attribute that loads or links
# something, or into a script; shown as text, the markers stay in text nodes (or in value,
# title and aria-label attributes, which are never parsed).
MARKERS = ("xss-", "example.invalid")
# page.evaluate(MARKUP_FROM_DATA, list(MARKERS)): the offending elements, as HTML
MARKUP_FROM_DATA = """(markers) => {
  const hit = (text) => !!text && markers.some((m) => text.includes(m));
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const loads = ['href', 'xlink:href', 'src', 'srcdoc', 'action', 'formaction', 'data'];
      if (name.startsWith('on') || (loads.includes(name) && hit(attr.value))) {
        found.push(el.outerHTML.slice(0, 200));
      }
    }
    const data = el.tagName === 'SCRIPT' && el.type === 'application/json';  // never run
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName) && !data
        && hit(el.outerHTML)) {
      found.push(el.outerHTML.slice(0, 200));
    }
  }
  return found;
}"""


def payload(index: int, limit: int | None = None) -> str:
    """PAYLOADS[index], cut to `limit` characters (a column's maximum length)."""
    text = PAYLOADS[index % len(PAYLOADS)]
    return text if limit is None else text[:limit]


def as_shown(markdown: str) -> str:
    """What Markdown escaped by safe_text.markdown_literal shows: the escapes and the invisible
    word joiners taken out (for AppTest, which holds the Markdown source, not the page)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
