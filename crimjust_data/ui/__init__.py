"""The Streamlit interface: the only package of crimjust_data that imports streamlit.

Pages use what is named here (`from crimjust_data import ui`, then `ui.query(...)`,
`ui.show_chart(...)`); app.py also uses the modules behind it:

- data: the store and the cached reads of it;
- url: the one binding of widgets to the URL (PARAMS lists every parameter);
- widgets: a chart with its data, the empty-selection message, program activities;
- language, signin: the interface language; sign-in (OIDC or local accounts);
- frame: what app.py draws around a page; server: the parts of Streamlit's app object;
- legacy_pages: the one workaround of Streamlit's private API.
"""

from crimjust_data.ui.data import (
    cache_key,
    data_freshness,
    filter_choices,
    query,
    ready_store,
    snapshot_without_rows,
    store,
)
from crimjust_data.ui.frame import page_filters
from crimjust_data.ui.language import in_session_language
from crimjust_data.ui.signin import (
    confirming_analyst,
    password_to_confirm,
    require_analyst,
    sign_out_button,
)
from crimjust_data.ui.url import bind, in_link, linked, unlink
from crimjust_data.ui.widgets import (
    show_chart,
    show_empty,
)

__all__ = [
    "bind",
    "cache_key",
    "confirming_analyst",
    "data_freshness",
    "filter_choices",
    "in_link",
    "in_session_language",
    "linked",
    "page_filters",
    "password_to_confirm",
    "query",
    "ready_store",
    "require_analyst",
    "show_chart",
    "show_empty",
    "sign_out_button",
    "snapshot_without_rows",
    "store",
    "unlink",
]
