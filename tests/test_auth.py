"""Analyst accounts: hashing, verification, the throttle, the file, the CLI and the sign-in form."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crimjust_data import auth
from crimjust_data.__main__ import main
from tests.xss_corpus import as_shown

PASSWORD = "correct horse battery"


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary accounts file (CRIMJUST_SECRETS) and a throttle that never sleeps."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("CRIMJUST_SECRETS", str(path))
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(sleep=lambda _: None))
    return path


def test_add_and_verify(secrets: Path) -> None:
    auth.add_user("maria.lopez", PASSWORD)
    text = secrets.read_text()
    assert PASSWORD not in text and "$argon2id$" in text
    account = auth.verify("maria.lopez", PASSWORD)
    assert account == auth.Account("maria.lopez", ("analyst",))
    assert auth.has_role(account, "analyst")
    assert auth.verify("maria.lopez", PASSWORD + "x") is None
    assert auth.verify("nobody", PASSWORD) is None
    assert auth.verify("", "") is None
    assert not auth.has_role(None, "analyst")


def test_missing_role(secrets: Path) -> None:
    auth.add_user("viewer1", PASSWORD, roles=["viewer"])
    account = auth.verify("viewer1", PASSWORD)
    assert account is not None and account.roles == ("viewer",)
    assert not auth.has_role(account, "analyst")


def test_unknown_name_still_runs_a_hash_check(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.add_user("maria", PASSWORD)
    checked: list[str] = []
    real = auth._hasher

    class Spy:
        def hash(self, password: str) -> str:
            return real.hash(password)

        def verify(self, hash_: str, password: str) -> bool:
            checked.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(auth, "_hasher", Spy())
    assert auth.verify("ghost", PASSWORD) is None
    assert auth.verify("bad name!", PASSWORD) is None
    assert auth.verify("maria", "wrong password") is None
    assert len(checked) == 3 and all(h.startswith("$argon2id$") for h in checked)


def test_validation(secrets: Path) -> None:
    for bad in ("", "a b", "ñame", "x/y", "a" * 65, "semi;colon"):
        with pytest.raises(auth.InvalidNameError, match="letters, digits"):
            auth.add_user(bad, PASSWORD)
    with pytest.raises(auth.WeakPasswordError, match="at least 10"):
        auth.add_user("maria", "123456789")
    with pytest.raises(auth.InvalidNameError, match="role name"):
        auth.add_user("maria", PASSWORD, roles=["data entry"])
    assert not secrets.exists()
    auth.add_user("maria", PASSWORD)
    with pytest.raises(auth.UserExistsError, match="--replace"):
        auth.add_user("maria", "another password")
    assert auth.verify("maria", PASSWORD) is not None
    auth.add_user("maria", "another password", roles=["viewer"], replace=True)
    assert auth.verify("maria", PASSWORD) is None
    assert auth.verify("maria", "another password") == auth.Account("maria", ("viewer",))


def test_file_keeps_other_content(secrets: Path) -> None:
    secrets.write_text(
        '# deployment secrets\n[auth]\ncookie_secret = "s3cret"\n\n'
        '[roles]\nanalysts = ["a@b.org"]\n'
    )
    auth.add_user("maria", PASSWORD)
    auth.add_user("jo", PASSWORD, roles=["analyst", "admin"])
    text = secrets.read_text()
    assert text.startswith("# deployment secrets\n")
    data = tomllib.loads(text)
    assert data["auth"] == {"cookie_secret": "s3cret"}
    assert data["roles"] == {"analysts": ["a@b.org"]}
    assert set(data["analysts"]) == {"maria", "jo"}
    assert data["analysts"]["jo"]["roles"] == ["analyst", "admin"]
    assert secrets.stat().st_mode & 0o077 == 0  # readable by the owner only
    assert [a.name for a in auth.list_users()] == ["jo", "maria"]
    assert list(secrets.parent.iterdir()) == [secrets]  # no temporary file left behind


def test_unreadable_file(secrets: Path) -> None:
    secrets.write_text("[analysts\nbroken")
    with pytest.raises(auth.SecretsFileError, match="not valid TOML"):
        auth.verify("maria", PASSWORD)
    with pytest.raises(auth.SecretsFileError, match="not valid TOML"):
        auth.add_user("maria", PASSWORD)
    assert secrets.read_text() == "[analysts\nbroken"  # untouched
    secrets.write_text('analysts = "oops"\n')
    with pytest.raises(auth.SecretsFileError, match="must be a table"):
        auth.list_users()
    secrets.unlink()
    secrets.mkdir()  # a directory where the file should be
    with pytest.raises(auth.SecretsFileError, match="cannot read"):
        auth.list_users()


def test_throttle_delays(secrets: Path) -> None:
    auth.add_user("maria", PASSWORD)
    now = [1000.0]
    slept: list[float] = []
    throttle = auth.Throttle(sleep=slept.append, clock=lambda: now[0])
    for _ in range(8):
        assert auth.verify("maria", "wrong password", throttle=throttle) is None
    assert slept == [1.0, 2.0, 4.0, 8.0, 16.0]  # three free attempts, then doubling
    for _ in range(3):
        auth.verify("maria", "wrong password", throttle=throttle)
    assert slept[-3:] == [30.0, 30.0, 30.0]  # capped
    assert throttle.delay("someone-else") == 0  # per name
    slept.clear()
    assert auth.verify("maria", PASSWORD, throttle=throttle) is not None  # waits, then succeeds
    assert slept == [30.0]
    assert throttle.delay("maria") == 0  # reset on success
    for _ in range(4):
        auth.verify("maria", "wrong password", throttle=throttle)
    assert throttle.delay("maria") == 2.0
    now[0] += 901  # forgotten after 15 quiet minutes
    assert throttle.delay("maria") == 0


# ---------------------------------------------------------------------------------------------
# Command line


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_users(
    secrets: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "users", "list")
    assert code == 0 and "users add NAME" in out
    code, out, _ = run(
        capsys, monkeypatch, "users", "add", "maria", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 0 and "maria" in out
    assert auth.verify("maria", PASSWORD) is not None
    code, out, _ = run(
        capsys,
        monkeypatch,
        "users",
        "add",
        "jo",
        "--role",
        "analyst",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0
    code, out, err = run(capsys, monkeypatch, "users", "list")
    assert code == 0
    assert out.splitlines() == ["jo     analyst, admin", "maria  analyst"]
    assert "argon2" not in out + err
    code, _, err = run(
        capsys, monkeypatch, "users", "add", "maria", "--password-stdin", stdin=PASSWORD
    )
    assert code == 1 and "already exists" in err and "Traceback" not in err
    code, _, err = run(capsys, monkeypatch, "users", "add", "x", "--password-stdin", stdin="short")
    assert code == 1 and "too short" in err
    code, _, err = run(capsys, monkeypatch, "users", "add", "a b", "--password-stdin", stdin="")
    assert code == 1 and "invalid account name" in err
    code, _, err = run(capsys, monkeypatch, "users", "add", "nopw", "--password-stdin", stdin="")
    assert code == 1 and "no password" in err
    code, _, _ = run(
        capsys,
        monkeypatch,
        "users",
        "add",
        "maria",
        "--replace",
        "--password-stdin",
        stdin="a new password\n",
    )
    assert code == 0 and auth.verify("maria", "a new password") is not None


def test_cli_prompts_twice(
    secrets: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, PASSWORD + "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, monkeypatch, "users", "add", "maria")
    assert code == 1 and "differ" in err and not secrets.exists()
    answers = iter([PASSWORD, PASSWORD])
    code, _, _ = run(capsys, monkeypatch, "users", "add", "maria")
    assert code == 0 and auth.verify("maria", PASSWORD) is not None


@pytest.mark.parametrize("command", [["users"], ["users", "add"], ["users", "list"]])
def test_cli_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: python -m crimjust_data users" in capsys.readouterr().out


def test_cli_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["users", "add"])
    assert exit_.value.code == 2


# ---------------------------------------------------------------------------------------------
# The sign-in form (ui.require_analyst) in a tiny app


def _guarded_page() -> None:
    import streamlit as st

    from crimjust_data import ui

    name = ui.require_analyst()
    if name:
        st.write(f"OK {name}")
        ui.sign_out_button("test_sign_out")


def _app() -> AppTest:
    app = AppTest.from_function(_guarded_page, default_timeout=60)
    app.secrets["placeholder"] = "no [auth]: local accounts"  # not the project's secrets file
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _texts(app: AppTest) -> str:
    return " ".join(str(m.value) for m in [*app.markdown, *app.error, *app.warning, *app.info])


def _sign_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="auth_name").input(name)
    app.text_input(key="auth_password").input(password)
    app.button(key="auth_submit").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_form_without_accounts_says_how_to_add_one(secrets: Path) -> None:
    app = _app()
    assert "python -m crimjust_data users add NAME" in _texts(app)
    assert app.text_input(key="auth_password").proto.type == 1  # TextInput.PASSWORD: no echo


def test_sign_in_wrong_then_right_password(secrets: Path) -> None:
    auth.add_user("maria", PASSWORD)
    app = _app()
    assert "users add NAME" not in _texts(app)
    _sign_in(app, "maria", "wrong password")
    assert [e.value for e in app.error] == ["Unknown name or wrong password."]
    assert "OK" not in _texts(app)
    assert app.text_input(key="auth_password").value == ""  # not kept in the session
    _sign_in(app, "ghost", PASSWORD)
    assert [e.value for e in app.error] == ["Unknown name or wrong password."]
    _sign_in(app, "maria", PASSWORD)
    assert "OK maria" in _texts(app) and not app.error
    app.run()  # stays signed in
    assert "OK maria" in _texts(app)
    app.button(key="test_sign_out").click().run()
    assert "OK" not in _texts(app)
    assert app.text_input(key="auth_name") is not None


def test_sign_in_without_the_role(secrets: Path) -> None:
    auth.add_user("viewer1", PASSWORD, roles=["viewer"])
    app = _sign_in(_app(), "viewer1", PASSWORD)
    assert "Signed in as viewer1, but this needs the analyst role" in _texts(app)
    assert "OK" not in _texts(app)


def test_oidc_uses_st_login_and_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    app = AppTest.from_function(_guarded_page, default_timeout=60)
    app.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "client_id": "id",
        "client_secret": "s",
        "server_metadata_url": "http://localhost/.well-known/openid-configuration",
    }
    app.secrets["roles"] = {"analysts": ["Maria@Example.org"]}
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.button(key="auth_oidc_login") is not None
    assert "OK" not in _texts(app)
    app.user = {"is_logged_in": True, "email": "maria@example.org"}
    app.run()
    assert "OK maria@example.org" in _texts(app)
    app.user = {"is_logged_in": True, "email": "jo@example.org"}
    app.run()
    shown = as_shown(_texts(app))  # the address is escaped: Markdown shows it as typed
    assert "Signed in as jo@example.org, but this needs the analyst role" in shown
