"""Who may change the data: upload, column mapping and rollback only after an analyst signs in,
whatever the route (navigation, a typed address, query parameters); the command line changes a
shared PostgreSQL database only with its password, and records who; passwords stay out of
messages and logs. (Typed addresses in a real browser: tests/test_browser_xss.py.)"""

from __future__ import annotations

import getpass
import io
import json
import logging
import os
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from crimjust_data import auth
from crimjust_data.__main__ import main
from crimjust_data.store import DuckDBStore
from crimjust_data.store.postgres_store import PostgresStore
from tests import pg_server
from tests.conftest import ANALYST_PASSWORD, APP, run_page
from tests.xss_corpus import as_shown

PASSWORD = ANALYST_PASSWORD
SIGN_IN_FORM = {"auth_form", "auth_name", "auth_password", "auth_submit"}
MESSY_CSV = (
    "Número;Fecha;País;Droga;Cantidad (g)\n"
    "U1;03/02/2021;Colombia;cocaína;1500,5\n"
    "U2;15/03/2021;Costa de Marfil;cocaína;2000\n"
)
# Every widget key of the protected pages, and names a forged link might try, as parameters.
FORGED_QUERY = {
    "page": "upload",
    "upload_table": "seizures",
    "upload_mode": "replace",
    "upload_go": "true",
    "upload_confirm": "true",
    "upload_map_0": "seizure_id",
    "history_version": "1",
    "history_pending": "1",
    "history_confirm": "true",
    "version": "1",
    "confirm": "1",
    "rollback": "1",
    "auth_user": "ana",
    "auth_name": "ana",
    "user": "ana",
    "role": "analyst",
}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def main_keys(app: AppTest) -> set[str]:
    """The keys of every widget in the page's main area (the sidebar filters are not it)."""
    return {key for node in _walk(app.main) if isinstance(key := getattr(node, "key", None), str)}


def sign_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    app.text_input(key="auth_name").input(name)
    app.text_input(key="auth_password").input(password)
    app.button(key="auth_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def versions(path: Path) -> list[dict[str, Any]]:
    return [v.to_dict() for v in DuckDBStore(path).versions()]


# ---------------------------------------------------------------------------------------------
# The app: navigation and query parameters


@pytest.mark.parametrize("query", [{}, FORGED_QUERY], ids=["navigation", "forged-query"])
def test_upload_shows_only_the_sign_in_form(
    store_path: Path, analyst: str, query: dict[str, str]
) -> None:
    app = run_page("pages/upload.py", query)
    before = versions(store_path)
    assert main_keys(app) == SIGN_IN_FORM
    assert not app.file_uploader and not app.main.selectbox
    assert "auth_user" not in app.session_state
    for _ in range(2):  # a rerun with the same link changes nothing either
        app.run()
        assert main_keys(app) == SIGN_IN_FORM
    assert versions(store_path) == before


@pytest.mark.parametrize("query", [{}, FORGED_QUERY], ids=["navigation", "forged-query"])
def test_history_shows_versions_but_no_rollback(
    store_path: Path, analyst: str, query: dict[str, str]
) -> None:
    app = run_page("pages/history.py", query)
    before = versions(store_path)
    assert before and all(v["active"] for v in before)  # the demo data
    keys = main_keys(app)
    assert not {k for k in keys if k.startswith("history_")} - {"history_table"}, keys
    assert keys >= SIGN_IN_FORM
    app.run()
    assert versions(store_path) == before


def test_signed_in_analyst_uploads_maps_and_rolls_back(store_path: Path, analyst: str) -> None:
    """The positive control: the same pages, signed in, do change the store."""
    app = sign_in(run_page("pages/upload.py"), analyst)
    seeded = len(versions(store_path))
    assert "upload_file" in main_keys(app)
    app.selectbox(key="upload_table").set_value("seizures")
    unknown = MESSY_CSV.replace("Número", "Clave interna").encode()  # a header to map
    app.file_uploader(key="upload_file").set_value(("raro.csv", unknown, "text/csv")).run()
    # unmapped, the rows would get ids derived from their content; mapped, they keep their own
    app.selectbox(key="upload_map_0").set_value("seizure_id").run()
    app.text_input(key="upload_password").input(PASSWORD)
    app.button(key="upload_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    newest = DuckDBStore(store_path).versions()[0]
    assert (newest.version_id, newest.loaded_by, newest.active) == (seeded + 1, "ana", True)
    headers = unknown.decode().splitlines()[0].split(";")
    mapping = DuckDBStore(store_path).saved_mapping("seizures", headers)
    assert mapping == {"Clave interna": "seizure_id"}
    stored = DuckDBStore(store_path).query(
        f"SELECT seizure_id FROM seizures WHERE version_id = {newest.version_id}"
    )
    assert not any(i.startswith("auto-") for i in stored["seizure_id"])

    app.switch_page("pages/history.py").run()
    app.selectbox(key="history_version").set_value(newest.version_id)
    app.button(key="history_rollback").click().run()
    app.text_input(key="history_password").input(PASSWORD)
    app.button(key="history_confirm").click().run()
    rolled = DuckDBStore(store_path).version(newest.version_id)
    assert not rolled.active and rolled.rolled_back_by == "ana"


def test_upload_page_country_of_every_row_and_detected_layout(
    store_path: Path, analyst: str
) -> None:
    """A national police list without a country column loads with the country chosen on the
    page; UNODC's individual seizures are recognised with the table left to 'Detect'."""
    police = (
        "UF;UNIDADE;CIDADE_APREENSAO;DATA;DROGA;QUANTIDADE;UNIDADE_MEDIDA;ORIGEM\n"
        "SP;DRE/SP;Santos;12/31/2021;COCAÍNA;1500;gramas;porto\n"
        "SP;DRE/SP;Guarulhos;01/15/2022;MACONHA;30;quilos;aeroporto\n"
    ).encode()
    app = sign_in(run_page("pages/upload.py"), analyst)
    app.selectbox(key="upload_table").set_value("seizures")
    app.file_uploader(key="upload_file").set_value(("policia.csv", police, "text/csv")).run()
    assert app.button(key="upload_confirm").disabled  # no country for these rows yet
    report = next(t.value for t in app.dataframe if "severity" in t.value.columns)
    assert report["message"].str.contains("no country column").any()
    app.selectbox(key="upload_country").set_value("BRA").run()
    app.text_input(key="upload_password").input(PASSWORD)
    app.button(key="upload_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    newest = DuckDBStore(store_path).versions()[0]
    stored = DuckDBStore(store_path).query(
        f"SELECT country_iso3, quantity_kg FROM seizures WHERE version_id = {newest.version_id}"
    )
    assert stored.values.tolist() == [["BRA", 1.5]]  # grams to kg; the maconha row skipped

    ids = (
        b"REGION;SUBREGION;COUNTRY;ADMINISTRATIVE_DIVISION;PLACE;SEIZURE_DATE;DRUG_NAME;AMOUNT;"
        b"DRUG_UNIT;HIDING_PLACE;INSTALLATION;TRANSPORT;PRODUCING_COUNTRY;DEPARTURE_COUNTRY;"
        b"DESTINATION_COUNTRY;ROUTING\n"
        b"Americas;South America;Peru;Lima;Callao;2021-04-02;Cocaine Base;3;Kilogram;;Port;"
        b"Commercial sea;Peru;Unknown;Netherlands Antilles;\n"
    )
    app.selectbox(key="upload_country").set_value("").run()
    app.selectbox(key="upload_table").set_value("detect")
    app.file_uploader(key="upload_file").set_value(("ids.csv", ids, "text/csv")).run()
    assert not app.button(key="upload_confirm").disabled
    preview = next(t.value for t in app.dataframe if "seizure_id" in t.value.columns)
    assert preview[["country_iso3", "drug", "conveyance", "destination_iso3"]].values.tolist() == [
        ["PER", "cocaine_base", "vessel", "ANT"]
    ]


def test_signing_out_takes_the_controls_away(store_path: Path, analyst: str) -> None:
    app = sign_in(run_page("pages/history.py"), analyst)
    assert "history_rollback" in main_keys(app)
    app.button(key="history_sign_out").click().run()
    assert "history_rollback" not in main_keys(app)
    app.switch_page("pages/upload.py").run()
    assert "upload_file" not in main_keys(app)


def test_a_removed_account_loses_access_at_the_next_click(
    store_path: Path, analyst: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = sign_in(run_page("pages/upload.py"), analyst)
    assert "upload_file" in main_keys(app)
    monkeypatch.setenv("CRIMJUST_SECRETS", str(tmp_path / "other.toml"))  # ana is not in it
    app.run()
    assert "upload_file" not in main_keys(app)


def test_throttle_slows_the_sign_in_form(
    store_path: Path, analyst: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form goes through the throttle: after three wrong passwords for a name, each further
    attempt waits first (1, 2, ... seconds), right password or not."""
    waited: list[float] = []
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(sleep=waited.append))
    app = run_page("pages/upload.py")
    for _ in range(5):
        sign_in(app, analyst, "wrong password!")
    assert waited == [1.0, 2.0]
    sign_in(app, "someone-else", "wrong password!")
    assert waited == [1.0, 2.0]  # per name
    sign_in(app, analyst)
    assert waited == [1.0, 2.0, 4.0] and "upload_file" in main_keys(app)


# ---------------------------------------------------------------------------------------------
# Secrets: hashes only, and no password in messages or logs


def test_accounts_file_holds_only_argon2_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setenv("CRIMJUST_SECRETS", str(secrets))
    for name, password in (("ana", PASSWORD), ("jo", "another long password")):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["users", "add", name, "--password-stdin"]) == 0
    assert main(["users", "list"]) == 0
    out, err = capsys.readouterr()
    text = secrets.read_text()
    assert PASSWORD not in text + out + err and "another long password" not in text + out + err
    assert "argon2" not in out + err
    accounts = tomllib.loads(text)["analysts"]
    for entry in accounts.values():
        assert set(entry) == {"password_hash", "roles"}
        assert entry["password_hash"].startswith("$argon2id$v=19$")
    assert secrets.stat().st_mode & 0o077 == 0


def test_store_error_in_the_app_hides_the_database_password(
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A malformed password makes libpq quote it in its error; the page and the log must not."""
    secret = "pa%zzSecret-71"
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", f"postgresql://u:{secret}@127.0.0.1:1/db")
    monkeypatch.setattr("crimjust_data.store.postgres_store.CONNECT_TIMEOUT_SECONDS", 1.0)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    shown = as_shown(" ".join(str(e.value) for e in app.error))
    assert "The data store cannot be used" in shown and "percent-encoded" in shown
    out, err = capfd.readouterr()
    for text in (shown, out, err, caplog.text):
        assert secret not in text and "Secret-71" not in text


# ---------------------------------------------------------------------------------------------
# The command line against a shared PostgreSQL database


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """`cli(*args)` runs `python -m crimjust_data ARGS` in this process and returns (exit code,
    stdout, stderr), libpq's own output included; every store it opened is closed after."""
    import crimjust_data.__main__ as command_line

    # A refused connection is retried until this timeout: 10 s is for real networks.
    monkeypatch.setattr("crimjust_data.store.postgres_store.CONNECT_TIMEOUT_SECONDS", 2.0)
    opened: list[Any] = []

    def keep(*args: Any) -> Any:
        store = command_line_open_store(*args)
        opened.append(store)
        return store

    command_line_open_store = command_line.open_store
    monkeypatch.setattr(command_line, "open_store", keep)

    def run(*args: str) -> tuple[int, str, str]:
        capfd.readouterr()
        code = main(list(args))
        out, err = capfd.readouterr()
        return code, out, err

    yield run
    for store in opened:
        getattr(store, "close", lambda: None)()


@pytest.fixture
def no_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No PGPASSWORD, no CRIMJUST_USER, and a password file of our own (still absent), not
    this machine's ~/.pgpass. Returns the password file's path."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("CRIMJUST_USER", raising=False)
    passfile = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    return passfile


@pytest.fixture
def seizures_csv(tmp_path: Path) -> Path:
    path = tmp_path / "incautaciones.csv"
    path.write_text(MESSY_CSV, encoding="utf-8")
    return path


def stored_versions(url: str) -> list[dict[str, Any]]:
    store = PostgresStore(url)
    try:
        return [v.to_dict() for v in store.versions()]
    finally:
        store.close()


def assert_refused(result: tuple[int, str, str]) -> None:
    code, _, err = result
    assert code == 1, err
    assert "no password for the PostgreSQL database" in err
    for how in ("postgresql://USER:PASSWORD@", "PGPASSWORD", "~/.pgpass", "PGPASSFILE"):
        assert how in err
    assert "Nothing was changed" in err and "Traceback" not in err


def test_cli_changes_postgres_only_with_a_password(
    cli: Any,
    postgres_url: str,
    no_credentials: Path,
    seizures_csv: Path,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test server lets anyone in, so only the command line's own check can refuse here."""
    assert ":not-checked@" in postgres_url  # the fixture's URL carries a password
    bare = postgres_url.replace(":not-checked@", "@")
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", postgres_url)
    code, out, err = cli("import", str(seizures_csv), "--table", "seizures")
    assert code == 0, err
    assert stored_versions(postgres_url)[0]["loaded_by"] == getpass.getuser()

    monkeypatch.setenv("CRIMJUST_DATABASE_URL", bare)
    before = stored_versions(postgres_url)
    code, out, _ = cli("versions", "--format", "json")  # reading needs no password
    assert code == 0 and [v["version_id"] for v in json.loads(out)] == [1]
    other = seizures_csv.with_name("otro.csv")
    other.write_text(MESSY_CSV.replace("\nU", "\nV"), encoding="utf-8")
    assert cli("import", str(other), "--table", "seizures", "--dry-run")[0] == 0
    assert cli("validate", str(other), "--table", "seizures")[0] == 0
    assert_refused(cli("import", str(seizures_csv), "--table", "seizures", "--mode", "replace"))
    assert_refused(cli("demo", "--seizures", "20", "--cases", "10"))
    assert_refused(cli("rollback", "1"))
    DuckDBStore(store_path)  # a DuckDB file to migrate from
    assert_refused(cli("migrate", "--from", str(store_path), "--to", bare))
    monkeypatch.delenv("CRIMJUST_DATABASE_URL")
    assert_refused(cli("migrate", "--from", str(store_path), "--to", bare))
    assert stored_versions(postgres_url) == before  # nothing changed

    monkeypatch.setenv("CRIMJUST_DATABASE_URL", bare)
    monkeypatch.setenv("PGPASSWORD", "not-checked")  # credentials from the environment
    monkeypatch.setenv("CRIMJUST_USER", "reviewer")
    assert cli("rollback", "1")[0] == 0
    assert stored_versions(postgres_url)[0]["rolled_back_by"] == "reviewer"


@pytest.fixture(scope="module")
def scram_server() -> Iterator[pg_server.Server]:
    """A server of its own that asks every connection for its password (scram-sha-256)."""
    try:
        server = pg_server.start(password="Scram-Secret-93")
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed in CI: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    try:
        yield server
    finally:
        server.stop()


def test_cli_against_a_server_that_checks_passwords(
    cli: Any,
    scram_server: pg_server.Server,
    no_credentials: Path,
    seizures_csv: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    right = scram_server.url
    bare = scram_server.url_without_password
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", bare)
    assert_refused(cli("import", str(seizures_csv), "--table", "seizures"))
    code, _, err = cli("versions")  # the server itself refuses a read without the password
    assert code == 1 and "no password supplied" in err and "Traceback" not in err

    # the password in a password file (as libpq reads it: mode 600)
    no_credentials.write_text(f"127.0.0.1:{scram_server.port}:*:postgres:{scram_server.password}\n")
    no_credentials.chmod(0o600)
    code, out, err = cli("import", str(seizures_csv), "--table", "seizures")
    assert code == 0, err
    no_credentials.unlink()
    # ... in the URL
    monkeypatch.setenv("CRIMJUST_DATABASE_URL", right)
    monkeypatch.setenv("CRIMJUST_USER", "maria.lopez")
    assert cli("rollback", "1")[0] == 0
    version = stored_versions(right)[0]
    assert (version["loaded_by"], version["rolled_back_by"]) == (getpass.getuser(), "maria.lopez")
    for field in ("loaded_by", "rolled_back_by"):
        assert "Scram-Secret" not in str(version[field])

    # wrong passwords: refused by the server, and never printed
    for wrong in ("Wrong-Secret-58", "Bad%zzSecret-58"):
        url = right.replace(scram_server.password, wrong)
        for args in (["versions"], ["import", str(seizures_csv), "--table", "seizures"]):
            monkeypatch.setenv("CRIMJUST_DATABASE_URL", url)
            code, out, err = cli(*args)
            assert code == 1 and "Traceback" not in err
            # the server's answer; or, for a URL libpq cannot read, no password found in it
            assert any(
                reason in err
                for reason in ("password authentication failed", "percent-encoded", "no password")
            ), err
            for text in (out, err):
                assert wrong not in text and "Secret-58" not in text
        monkeypatch.delenv("CRIMJUST_DATABASE_URL")
        code, out, err = cli("migrate", "--from", str(seizures_csv.parent / "none"), "--to", url)
        assert code == 1 and "Secret-58" not in out + err


def test_redact_and_password_lookup(no_credentials: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://ana:s%40fe-Pass_1@db.example.org:5432/crimjust"
    assert auth.database_password(url) == "s@fe-Pass_1"
    assert auth.database_password("postgresql://ana@db.example.org/crimjust") == ""
    assert auth.database_password("postgresql://ana@db.example.org/crimjust?password=Qx-12345")
    monkeypatch.setenv("PGPASSWORD", "from-env-1")
    assert auth.database_password("postgresql://ana@db.example.org/crimjust") == "from-env-1"
    monkeypatch.delenv("PGPASSWORD")
    no_credentials.write_text("db.example.org:5432:crimjust:ana:from-file-1\n")
    no_credentials.chmod(0o600)
    assert auth.database_password("postgresql://ana@db.example.org/crimjust") == "from-file-1"
    assert auth.database_password("postgresql://ana@db.example.org/other") == ""

    monkeypatch.setenv("CRIMJUST_DATABASE_URL", url)
    monkeypatch.setenv("PGPASSWORD", "env-Secret-2")
    text = "failed for s%40fe-Pass_1 and s@fe-Pass_1, env-Secret-2 and cli-Secret-3 (user ana)"
    assert auth.redact(text, "postgres://x:cli-Secret-3@h/d") == (
        "failed for *** and ***, *** and *** (user ana)"
    )
    auth.redact_logs()
    record = logging.getLogger("psycopg.pool").makeRecord(
        "psycopg.pool", logging.WARNING, __file__, 1, "error in %r: %s", ("x", text), None
    )
    assert "Pass_1" not in record.getMessage() and "env-Secret" not in record.getMessage()


# ---------------------------------------------------------------------------------------------
# Changes are confirmed with the password; a sign-in lapses when idle (issue 17)


def test_an_import_or_rollback_without_the_password_changes_nothing(
    store_path: Path, analyst: str
) -> None:
    app = sign_in(run_page("pages/upload.py"), analyst)
    before = versions(store_path)
    app.selectbox(key="upload_table").set_value("seizures")
    app.file_uploader(key="upload_file").set_value(("u.csv", MESSY_CSV.encode(), "text/csv")).run()
    for typed in ("", "not the password"):
        app.text_input(key="upload_password").input(typed)
        app.button(key="upload_confirm").click().run()
        assert not app.exception, [e.value for e in app.exception]
        assert versions(store_path) == before
        assert app.text_input(key="upload_password").value == ""  # never kept
    assert "Wrong password" in app.error[-1].value

    app.switch_page("pages/history.py").run()
    app.button(key="history_rollback").click().run()
    app.text_input(key="history_password").input("not the password")
    app.button(key="history_confirm").click().run()
    assert versions(store_path) == before
    assert any("Wrong password" in e.value for e in app.error)


def test_a_sign_in_lapses_after_the_idle_limit(
    store_path: Path, analyst: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRIMJUST_SIGNIN_IDLE_MINUTES", "0.05")  # 3 s
    app = sign_in(run_page("pages/upload.py"), analyst)
    assert "upload_file" in main_keys(app)
    app.run()  # activity within the limit keeps it
    assert "upload_file" in main_keys(app)
    time.sleep(3.5)
    app.run()
    assert main_keys(app) == SIGN_IN_FORM
    assert any("without activity" in w.value for w in app.warning)


def test_messages_of_buttons_speak_the_pages_language(store_path: Path, analyst: str) -> None:
    """Streamlit runs a button's action before the page sets its language: the action's
    messages must still be in the reader's language."""
    from crimjust_data import i18n

    with i18n.using("fr"):  # AppTest sends widget values by their (French) labels
        app = run_page("pages/upload.py", {"lang": "fr"})
        app = sign_in(app, analyst, "not the password")
        assert any("Nom inconnu ou mot de passe incorrect" in e.value for e in app.error)
        app = sign_in(app, analyst)
        app.selectbox(key="upload_table").set_value("seizures")
        upload = ("u.csv", MESSY_CSV.encode(), "text/csv")
        app.file_uploader(key="upload_file").set_value(upload).run()
        app.text_input(key="upload_password").input("not the password")
        app.button(key="upload_confirm").click().run()
    assert "Mot de passe incorrect" in app.error[-1].value
