"""The snapshot as one self-contained HTML file: opens from disk, offline, and forwards as is.

plotly.js and the world_50m map topology are inline (docs/ARCHITECTURE.md, offline: the topology
goes in window.PlotlyGeoAssets before plotly.js, so maps never fetch it). Both travel as one
gzip-compressed, base85-encoded string that the file unpacks with the browser's own
DecompressionStream (about 2 MB instead of 6.5). The Content-Security-Policy forbids every
network request, and allows exactly two scripts by their SHA-256: the unpacker (which draws the
charts) and the library it unpacks. Every piece of text from the data is escaped: uploaded text
shows as text, never as markup. Chart specs sit in <script type="application/json"> blocks (data,
not code) with '</' escaped.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
from functools import cache

import pandas as pd
import plotly.io
from plotly.offline import get_plotlyjs

from crimjust_data import i18n, methods, paths, table_numbers
from crimjust_data.countries import require_world_topology
from crimjust_data.disclosure import rule_text
from crimjust_data.i18n import N_, _
from crimjust_data.snapshot.content import Snapshot

# Only the scripts whose hashes are listed run; nothing may be fetched (default-src 'none').
CSP = (
    "default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:"
)
# No mode bar: its tips are English only, and hover, drag-to-zoom and double-click still work.
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}
# Printed, a chart needs no hover, zoom or toolbar layers: plotly leaves them out.
PRINT_CONFIG = {**PLOTLY_CONFIG, "staticPlot": True}
# Set on <html> once every chart has drawn: what the PDF printer and the tests wait for.
READY_ATTRIBUTE = "data-charts-ready"

STYLE = """
:root { --ink: #1f2328; --muted: #555; --line: #d0d7de; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", Arial, Helvetica, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; line-height: 1.45; }
h1 { font-size: 1.9rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line);
     padding-bottom: 4px; }
.meta { color: var(--muted); margin: 2px 0; }
.synthetic { border: 2px solid #B35C00; background: #FFF4E5; color: #5A2E00; padding: 10px 14px;
             border-radius: 6px; margin: 14px 0; font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.tile .label { color: var(--muted); font-size: .9rem; }
.tile .value { font-size: 1.6rem; font-weight: 600; }
.tile .note { color: var(--muted); font-size: .8rem; }
figure { margin: 8px 0 20px; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: 4px; }
.chart { width: 100%; }
table { border-collapse: collapse; font-size: .85rem; margin: 6px 0 12px; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.hash { font-family: monospace; font-size: .75rem; word-break: break-all; }
details { margin: 4px 0 14px; }
summary { cursor: pointer; color: var(--accent); }
.notes li { color: var(--muted); }
.caution { border-left: 4px solid #B35C00; background: #FFF8EE; padding: 6px 12px; margin: 6px 0; }
@media print {
  body { max-width: none; padding: 0; }
  details, .screen-only { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .synthetic, .caution, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Unpacks plotly.js and the topology (PACKED: base85 of their gzip, LENGTH bytes), runs them as
# an inline script (allowed by its hash), then draws every chart from its JSON block.
RENDER_SCRIPT = """
(function () {
  var PACKED = "DATA", LENGTH = SIZE;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" +
    "!#$%&()*+-;<=>?@^_`{|}~";
  function done(state) {
    document.documentElement.setAttribute('READY', state);
  }
  function bytes() {
    var digit = new Uint8Array(128), out = new Uint8Array(PACKED.length / 5 * 4);
    for (var i = 0; i < 85; i++) digit[ALPHABET.charCodeAt(i)] = i;
    for (var at = 0, to = 0; at < PACKED.length; at += 5, to += 4) {
      var value = 0;
      for (var k = 0; k < 5; k++) value = value * 85 + digit[PACKED.charCodeAt(at + k)];
      out[to] = value >>> 24; out[to + 1] = value >>> 16 & 255;
      out[to + 2] = value >>> 8 & 255; out[to + 3] = value & 255;
    }
    return out.subarray(0, LENGTH);
  }
  function draw(code) {
    if (code) {
      var library = document.createElement('script');
      library.textContent = code;
      document.head.appendChild(library);
    }
    var drawn = [];
    document.querySelectorAll('script[data-chart]').forEach(function (node) {
      var spec = JSON.parse(node.textContent);
      var target = document.getElementById(node.getAttribute('data-chart'));
      drawn.push(Plotly.newPlot(target, spec.data, spec.layout, CONFIG));
    });
    return Promise.all(drawn);
  }
  var code;
  if (!PACKED) {  // the library is in the page as it is (the PDF's page)
    code = Promise.resolve(null);
  } else if (typeof DecompressionStream === 'undefined') {
    document.getElementById('no-charts').hidden = false;
    done('failed: this browser has no DecompressionStream');
    return;
  } else {
    var unpacked = new Blob([bytes()]).stream().pipeThrough(new DecompressionStream('gzip'));
    code = new Response(unpacked).text();
  }
  code.then(draw).then(function () {
    done('yes');
  }, function (error) {
    document.getElementById('no-charts').hidden = false;
    done('failed: ' + error);
  });
})();
"""

# The sections of crimjust_data.methods a snapshot's methods list carries, after METHODS.
CASE_METHODS = ("data_end", "prosecution", "conviction", "time_to_verdict", "uncertainty")
METHODS = [
    (
        N_("Seizures"),
        N_(
            "Each seizure event is one interdiction: date, country, cocaine form, kilograms, "
            "conveyance and, where reported, the route (origin, transit countries, "
            "destination). Kilograms are summed over events; nothing is added from the "
            "official annual totals."
        ),
    ),
    (
        N_("Regions"),
        N_(
            "Countries are grouped by the UN M49 sub-regions into Latin America, the "
            "Caribbean, West Africa, Europe, North America and other."
        ),
    ),
]

LICENCES = [
    (
        N_("Map"),
        N_(
            "Country shapes from Natural Earth (public domain), in the world_50m topology "
            "distributed with plotly.js (MIT licence)."
        ),
    ),
    (N_("Charts"), N_("Drawn with plotly.js (MIT licence), included in this file.")),
    (
        N_("Country reference"),
        N_(
            "ISO 3166 codes and names (CLDR via Babel, pycountry); UN M49 regions (United "
            "Nations Statistics Division, compiled under CC BY-SA 4.0)."
        ),
    ),
    (
        N_("UNODC data"),
        N_(
            "Official annual seizure totals from dataUNODC, used under UNODC's terms of use; "
            "cite UNODC as the source."
        ),
    ),
    (
        N_("Synthetic data"),
        N_(
            "Generated by this dashboard's demo generator to show the method; it describes no "
            "real seizure, case or person."
        ),
    ),
]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _script_hash(code: str) -> str:
    """The CSP source that lets exactly this inline script run."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _topology_js() -> str:
    require_world_topology()  # a clear refusal, not 'unexpected FileNotFoundError'
    text = paths.MAP_TOPOLOGY.read_text(encoding="utf-8")  # the pages' maps draw the same
    return f"window.PlotlyGeoAssets = {{topojson: {{world_50m: {text}}}}};"


def library_js() -> str:
    """The script the snapshot unpacks and runs: the map topology, then plotly.js."""
    return _library_js(_topology_js())


def _library_js(topology_js: str) -> str:
    return f"{topology_js}\n{get_plotlyjs()}"


@cache
def _render_script(topology_js: str, printed: bool) -> tuple[str, str]:
    """The snapshot's drawing script (with the packed library, unless `printed`) and the CSP's
    list of allowed scripts: its hash and the library's.

    The page the PDF is printed from is never stored: it carries the library as it is, in a
    script of its own, so the printer neither packs nor unpacks it.
    """
    library = _library_js(topology_js)
    packed, text = b"", ""
    if not printed:
        packed = gzip.compress(library.encode("utf-8"), compresslevel=9, mtime=0)
        # base85 (no quote, backslash or slash: safe in a JS string and in <script>) is a
        # twelfth smaller than base64; padded to whole groups of 5, the true length is given.
        text = base64.b85encode(packed, pad=True).decode("ascii")
    script = (
        RENDER_SCRIPT.replace("SIZE", str(len(packed)))
        .replace("CONFIG", json.dumps(PRINT_CONFIG if printed else PLOTLY_CONFIG))
        .replace("READY", READY_ATTRIBUTE)
        .replace("DATA", text)  # last: the data may hold the other placeholders' letters
    )
    return script, f"{_script_hash(script)} {_script_hash(library)}"


def table_html(frame: pd.DataFrame, mono: tuple[str, ...] = ()) -> str:
    """An escaped HTML table, numbers written in the current language (table_numbers) and
    right-aligned; `mono` columns in a fixed-width font."""
    formats = table_numbers.column_formats(frame)
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    styles = [
        " class='num'" if formats[c].numeric else " class='hash'" if c in mono else ""
        for c in frame.columns
    ]
    rows = [
        "<tr>"
        + "".join(f"<td{css}>{_e(text)}</td>" for css, text in zip(styles, record, strict=True))
        + "</tr>"
        for record in table_numbers.texts(frame).itertuples(index=False)
    ]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{_e(text)}</h{level}>"


def _chart_spec(figure: object) -> str:
    return plotly.io.to_json(figure, validate=False).replace("</", "<\\/")


def render(snapshot: Snapshot, *, printed: bool = False) -> str:
    """The snapshot as a complete HTML document (str), in the snapshot's language.

    `printed`: the document the PDF is printed from, without the words about interactive
    charts (a printed chart cannot be hovered or zoomed).
    """
    with i18n.using(snapshot.lang):
        return _render(snapshot, printed)


def _render(snapshot: Snapshot, printed: bool) -> str:
    parts: list[str] = []
    specs: list[str] = []
    add = parts.append
    add(f"<h1>{_e(snapshot.title)}</h1>")
    generated = snapshot.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    for label, value in (
        (_("Covers:"), snapshot.scope),
        (_("Period:"), snapshot.period_text),
        (_("Generated:"), generated),
        (_("Sources:"), snapshot.sources.label),
    ):
        add(f"<p class='meta'><strong>{_e(label)}</strong> {_e(value)}</p>")
    if snapshot.sources.synthetic:
        banner = _(
            "Synthetic data: some or all of the figures in this report are generated demo "
            "data, not real seizures or cases. Do not cite them."
        )
        add(f"<div class='synthetic' role='alert'>{_e(banner)}</div>")

    add(_heading(_("Headline figures")) + "<div class='tiles'>")
    for tile in snapshot.tiles:
        add(
            f"<div class='tile'><div class='label'>{_e(tile.label)}</div>"
            f"<div class='value'>{_e(tile.value)}</div>"
            f"<div class='note'>{_e(tile.note or tile.help or '')}</div></div>"
        )
    add("</div>")

    for number, section in enumerate(snapshot.sections, start=1):
        chart_id = f"chart-{number}"
        summary = section.chart.summary
        add(f"<h2>{_e(section.heading)}</h2>")
        if section.scope:  # the section covers something else than the report's filters
            add(f"<p class='meta'>{_e(section.scope[1])}</p>")
        parts.extend(f"<p class='caution'>{_e(note)}</p>" for note in section.notes)
        add("<figure>")
        # The text summary: what the chart shows, for screen readers and greyscale prints.
        described = f" role='img' aria-label='{_e(summary)}'" if summary else ""
        add(
            f"<div class='chart' id='{chart_id}' data-section='{_e(section.key)}'{described}></div>"
        )
        caption = " ".join(text for text in (section.intro, section.caption) if text)
        if caption or summary:
            said = f"<p class='summary'>{_e(summary)}</p>" if summary else ""
            add(f"<figcaption>{_e(caption)}{said}</figcaption>")
        add("</figure>")
        add(
            "<details><summary>"
            + _e(
                _("The numbers drawn ({rows} rows)").format(
                    rows=i18n.integer(len(section.chart.data))
                )
            )
            + f"</summary>{table_html(section.chart.data)}</details>"
        )
        for table in section.tables:
            add(_heading(table.heading, level=3) + table_html(table.frame))
        specs.append(
            f"<script type='application/json' data-chart='{chart_id}'>"
            f"{_chart_spec(section.chart.figure)}</script>"
        )

    add(_heading(_("Prosecution and conviction rates")))
    if snapshot.rates.empty:
        add("<p>" + _e(_("No cases in the selection.")) + "</p>")
    else:
        explained = _(
            "Rates with Wilson 95% confidence intervals; n is the number of cases the rate is "
            "computed over."
        )
        add(f"<p class='meta'>{_e(explained)}</p>")
        add(table_html(snapshot.rates))

    if snapshot.notes:
        add(_heading(_("Notes")) + "<ul class='notes'>")
        parts.extend(f"<li>{_e(note)}</li>" for note in snapshot.notes)
        add("</ul>")

    add(_heading(_("Dataset versions")))
    explained = _(
        "The versions of each table the numbers come from; the SHA-256 checksum identifies "
        "the exact file loaded."
    )
    add(f"<p class='meta'>{_e(explained)}</p>")
    add(table_html(snapshot.versions_table, mono=("SHA-256",)))

    add(_heading(_("Methods and sources")) + "<dl>")
    # the case metrics as the Methods page defines them (crimjust_data.methods)
    defined = [
        (_(section.heading), " ".join(methods.paragraphs(section)))
        for section in methods.SECTIONS
        if section.key in CASE_METHODS
    ]
    for term, definition in [
        *((_(term), _(text)) for term, text in METHODS),
        *defined,
        (_("Small cells"), rule_text(snapshot.threshold)),
    ]:
        add(f"<dt><strong>{_e(term)}</strong></dt><dd>{_e(definition)}</dd>")
    add("</dl>" + _heading(_("Licences"), level=3) + "<dl>")
    for term, text in LICENCES:
        add(f"<dt><strong>{_e(_(term))}</strong></dt><dd>{_e(_(text))}</dd>")
    add("</dl>")
    closing = _("Produced by the CRIMJUST interdiction dashboard ({language}).").format(
        language=snapshot.language_name
    )
    add(f"<p class='meta'>{_e(closing)}</p>")
    if not printed:  # and hidden when the HTML file itself is printed
        interactive = _(
            "Charts are interactive: hover for values, drag to zoom, double-click to reset."
        )
        add(f"<p class='meta screen-only'>{_e(interactive)}</p>")
    no_charts = _(
        "This browser cannot draw the charts: open the file in a recent version of Chrome, "
        "Edge, Firefox or Safari. The text and tables above are complete."
    )
    add(f"<p class='caution' id='no-charts' hidden>{_e(no_charts)}</p>")

    render_script, allowed_scripts = _render_script(_topology_js(), printed)
    # printed: the library in a script of its own, before the one that draws
    library = f"<script>{_library_js(_topology_js())}</script>\n" if printed else ""
    return (
        f"<!DOCTYPE html>\n<html lang='{_e(snapshot.lang)}'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta http-equiv='Content-Security-Policy' "
        f'content="{CSP.format(scripts=allowed_scripts)}">\n'
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<meta name='generator' content='CRIMJUST interdiction dashboard'>\n"
        f"<title>{_e(snapshot.title)}: {_e(snapshot.scope)} ({generated})</title>\n"
        f"<style>{STYLE}</style>\n"
        "</head>\n<body>\n<main>\n"
        + "\n".join(parts)
        + "\n</main>\n"
        + "\n".join(specs)
        + f"\n{library}<script>{render_script}</script>\n</body>\n</html>\n"
    )
