"""A Streamlit session without a browser: the websocket protocol the browser speaks.

Each `Session` is one real session of a running `streamlit run`: it connects to /_stcore/stream,
asks for runs with BackMsg.rerun_script (the URL's query string and the page, as the browser
sends them on a page switch or a reload) and keeps the elements each run sends (ForwardMsg
deltas), so a test reads what a user would see, at a fraction of a browser's cost.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

Path_ = tuple[int, ...]


@dataclass
class Render:
    """What one finished run of the script left on the page."""

    page: str  # the page's URL path ('' for the default page)
    query_string: str  # the URL's query string after the run (as the browser would show it)
    requested_at: float  # time.monotonic() when the run was asked for
    finished_at: float
    elements: dict[Path_, Element] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # exceptions, errors, failed runs

    def of_type(self, kind: str) -> list[tuple[Path_, Element]]:
        """(delta path, element) of every element of `kind` (e.g. 'metric'), in page order."""
        return sorted((p, e) for p, e in self.elements.items() if e.WhichOneof("type") == kind)

    def metrics(self) -> dict[str, str]:
        """Each metric's label -> its displayed value."""
        return {e.metric.label: e.metric.body for _, e in self.of_type("metric")}

    def dataframes(self) -> list[pd.DataFrame]:
        """Every st.dataframe's data, in page order (decoded from the Arrow IPC bytes sent)."""
        frames = []
        for _, element in self.of_type("dataframe"):
            data = element.dataframe.arrow_data.data
            if data:
                frames.append(pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas())
        return frames


def problems_in(element: Element) -> str | None:
    """A description of `element` if it is an exception or an error box, else None."""
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception {element.exception.type}: {element.exception.message}"
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return f"error: {element.alert.body}"
    return None


def _strings(state: WidgetState, values: Sequence[str]) -> None:
    state.string_array_value.SetInParent()  # an empty list is a value too
    state.string_array_value.data[:] = values


def widget_value(element: Element, known: WidgetState | None) -> WidgetState | None:
    """The value the browser would send back for a widget: the one the server set in this run,
    else the one it had, else the widget's default (None for widgets modelled here only when
    set, and for form widgets, which are sent only when their form is submitted)."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind)
    if not getattr(proto, "id", "") or getattr(proto, "form_id", ""):
        return None
    state = WidgetState(id=proto.id)
    if kind in ("selectbox", "radio"):
        if proto.set_value:
            state.string_value = proto.raw_value
        elif known is None and proto.HasField("default") and proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
    elif kind == "multiselect":
        if proto.set_value:
            _strings(state, proto.raw_values)
        elif known is None:
            _strings(state, [proto.options[i] for i in proto.default])
    elif kind == "button_group" and proto.set_value:
        _strings(state, proto.raw_values)
    elif kind == "date_input":
        if proto.set_value:
            _strings(state, proto.value)
        elif known is None:
            _strings(state, proto.default)
    elif kind == "checkbox":
        if proto.set_value:
            state.bool_value = proto.value
        elif known is None:
            state.bool_value = proto.default
    return state if state.WhichOneof("value") else known


class Session:
    """One browser-less session of the app at `base_url` (http://host:port/)."""

    def __init__(
        self,
        base_url: str,
        run_timeout: float = 90.0,
        *,
        reconnect_to: str | None = None,
        cookie: str | None = None,
    ) -> None:
        """`reconnect_to`: a session id to reopen, as the browser does after a dropped
        connection (the third entry of the websocket subprotocol header); `cookie`: the Cookie
        header to send."""
        self.url = base_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.run_timeout = run_timeout
        self.subprotocols = ["streamlit", "none", reconnect_to] if reconnect_to else ["streamlit"]
        self.headers = {"Cookie": cookie} if cookie else {}
        self.origin = base_url.rstrip("/")
        self.session_id = ""  # the server's id of this session, from its first run
        self.query_string = ""
        self.pages: dict[str, str] = {}  # URL path -> page_script_hash, from the navigation
        self.widgets: dict[str, WidgetState] = {}  # what the browser would send back, by id
        # Expanders (by widget key) this reader keeps open, and their ids once seen: an
        # expander that tracks its state ('View data') is filled only while open.
        self.kept_open: set[str] = set()
        self.open_ids: set[str] = set()
        self._socket: ClientConnection | None = None
        self._closing = contextlib.ExitStack()

    def open(self) -> None:
        self._socket = self._closing.enter_context(
            connect(
                self.url,
                subprotocols=self.subprotocols,  # type: ignore[arg-type]
                additional_headers=self.headers,
                origin=self.origin,  # type: ignore[arg-type]
                max_size=None,
                open_timeout=30,
            )
        )

    def close(self) -> None:
        self._closing.close()
        self._socket = None

    def run(self, page: str | None = None, query_string: str | None = None) -> Render:
        """Ask for a run of `page` (None: the current one) with `query_string` (None: keep the
        URL as the last run left it) and wait until it has finished; app-requested reruns
        (st.rerun) are followed to the end, as the browser follows them."""
        assert self._socket is not None, "open() first"
        if query_string is not None:
            self.query_string = query_string
        message = BackMsg()
        message.rerun_script.query_string = self.query_string
        message.rerun_script.widget_states.widgets.extend(self.widgets.values())
        message.rerun_script.widget_states.widgets.extend(
            WidgetState(id=expander, bool_value=True) for expander in sorted(self.open_ids)
        )
        if page is not None:
            message.rerun_script.page_script_hash = self.pages.get(page, "")
            message.rerun_script.page_name = page
        requested = time.monotonic()
        self._socket.send(message.SerializeToString())
        elements: dict[Path_, Element] = {}
        problems: list[str] = []
        learned = False  # an expander to keep open, seen closed: opened, as a reader does
        current_page = page or ""
        deadline = requested + self.run_timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no finished run within {self.run_timeout} s")
            forward = ForwardMsg()
            forward.ParseFromString(self._socket.recv(timeout=left))
            kind = forward.WhichOneof("type")
            if kind == "new_session":  # a run starts: the page is drawn afresh
                self.session_id = forward.new_session.initialize.session_id or self.session_id
                elements.clear()
                problems.clear()
            elif kind == "delta" and forward.delta.WhichOneof("type") == "add_block":
                expander = forward.delta.add_block.expandable.id
                if expander and expander.rsplit("-", 1)[-1] in self.kept_open:
                    learned |= expander not in self.open_ids
                    self.open_ids.add(expander)
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                path = tuple(forward.metadata.delta_path)
                elements[path] = forward.delta.new_element
                problem = problems_in(forward.delta.new_element)
                if problem:
                    problems.append(problem)
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = {
                    p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages
                }
                shown = forward.navigation.page_script_hash
                current_page = next((u for u, h in self.pages.items() if h == shown), current_page)
            elif kind == "page_not_found":
                problems.append(f"page not found: {forward.page_not_found.page_name}")
            elif kind == "session_event" and forward.session_event.HasField(
                "script_compilation_exception"
            ):
                problems.append(f"compile error: {forward.session_event}")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for another run: wait for that one
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problems.append(f"run ended with status {status}")
                self._remember_widgets(elements)
                if learned:
                    return self.run()
                return Render(
                    current_page,
                    self.query_string,
                    requested,
                    time.monotonic(),
                    dict(elements),
                    list(problems),
                )

    def send(self, message: BackMsg) -> None:
        """Send any BackMsg (e.g. clear_cache), as a client may."""
        assert self._socket is not None, "open() first"
        self._socket.send(message.SerializeToString())

    def click(self, render: Render, key: str) -> bool:
        """Press the button with widget key `key` of `render` (sent with the next run); False
        if `render` has no such button."""
        for _, element in render.of_type("button"):
            if element.button.id.endswith(f"-{key}"):
                self.widgets[element.button.id] = WidgetState(
                    id=element.button.id, trigger_value=True
                )
                return True
        return False

    def set_multiselect(self, render: Render, label: str, values: list[str]) -> bool:
        """Choose `values` in the multiselect labelled `label` of `render` (sent with the next
        run, as the browser sends a changed widget); False if `render` has no such widget."""
        found = [
            e.multiselect.id
            for _, e in render.of_type("multiselect")
            if e.multiselect.label == label
        ]
        if not found:
            return False
        state = WidgetState(id=found[0])
        _strings(state, values)
        self.widgets[found[0]] = state
        return True

    def _remember_widgets(self, elements: dict[Path_, Element]) -> None:
        """Keep the values of the widgets on the page now (as the browser does), drop others."""
        kept: dict[str, WidgetState] = {}
        for element in elements.values():
            kind = element.WhichOneof("type")
            widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
            if not widget_id or not isinstance(widget_id, str):
                continue
            value = widget_value(element, self.widgets.get(widget_id))
            if value is not None:
                kept[widget_id] = value
        self.widgets = kept

    def __enter__(self) -> Session:
        self.open()
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
