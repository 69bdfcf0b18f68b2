"""Local analyst accounts: argon2id password hashes in a TOML file, checked in constant time.

The file is `.streamlit/secrets.toml` in the project (or the path in CRIMJUST_SECRETS), with one
table per account and anything else in the file left alone:

    [analysts.maria]
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."
    roles = ["analyst"]

Accounts are added with `python -m crimjust_data users add NAME`. Sign-in attempts are slowed
down per name after a few failures, and refused for a while after too many failures on the
server (`Throttle`). This module does not import streamlit; the sign-in form is in `ui.signin`.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
import tempfile
import threading
import time
import tomllib
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crimjust_data.errors import CrimjustError
from crimjust_data.i18n import _
from crimjust_data.paths import PROJECT_ROOT, redacted

DEFAULT_SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.toml"
TABLE = "analysts"
DEFAULT_ROLES: tuple[str, ...] = ("analyst",)
MIN_PASSWORD_LENGTH = 10
NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
ADD_COMMAND = "python -m crimjust_data users add NAME"

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_dummy_hash: str | None = None
_dummy_lock = threading.Lock()


class AuthError(CrimjustError):
    """An account could not be added or read."""


class InvalidNameError(AuthError):
    """An account or role name with characters other than letters, digits, '.', '_', '-'."""


class WeakPasswordError(AuthError):
    """A password shorter than MIN_PASSWORD_LENGTH."""


class UserExistsError(AuthError):
    """The account already exists and replacing it was not asked for."""


class SecretsFileError(AuthError):
    """The accounts file cannot be read or written."""


@dataclass(frozen=True)
class Account:
    """A signed-in (or listed) analyst: the name and the roles, never the hash."""

    name: str
    roles: tuple[str, ...]


def secrets_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The accounts file: `path` if given, else CRIMJUST_SECRETS, else .streamlit/secrets.toml."""
    if path is not None:
        return Path(path)
    configured = os.environ.get("CRIMJUST_SECRETS", "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_SECRETS


def has_role(account: Account | None, role: str) -> bool:
    """True if `account` holds `role`."""
    return account is not None and role in account.roles


def validate_name(name: str, what: str = "account name") -> str:
    """`name` if it is 1-64 letters, digits, '.', '_' or '-'; else InvalidNameError."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        if what == "account name":
            message = _(
                "invalid account name {name}: use 1 to 64 letters, digits, '.', '_' or '-' "
                "(no spaces), e.g. 'maria.lopez'"
            )
        elif what == "role name":
            message = _(
                "invalid role name {name}: use 1 to 64 letters, digits, '.', '_' or '-' "
                "(no spaces), e.g. 'maria.lopez'"
            )
        else:
            message = _(
                "invalid {what} {name}: use 1 to 64 letters, digits, '.', '_' or '-' "
                "(no spaces), e.g. 'maria.lopez'"
            )
        raise InvalidNameError(message.format(what=what, name=repr(name)))
    return name


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(
            _(
                "the password is too short ({n} characters): use at least {minimum}; "
                "a few random words make a good one"
            ).format(n=len(password), minimum=MIN_PASSWORD_LENGTH)
        )
    return password


# ---------------------------------------------------------------------------------------------
# The file


def _read_text(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretsFileError(
            _(
                "cannot read the accounts file {file}: {reason}. Check that it exists, is "
                "readable by this user and is UTF-8 text (or set CRIMJUST_SECRETS to another "
                "file)"
            ).format(file=file, reason=exc)
        ) from None


def _entries(file: Path) -> dict[str, dict[str, Any]]:
    """The [analysts.*] tables of `file` (none if it does not exist)."""
    text = _read_text(file)
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SecretsFileError(
            _(
                "the accounts file {file} is not valid TOML ({reason}); fix that line, or move "
                "the file away and add the accounts again with `{command}`"
            ).format(file=file, reason=exc, command=ADD_COMMAND)
        ) from None
    table = data.get(TABLE, {})
    if not isinstance(table, dict):
        raise SecretsFileError(
            _(
                "'{key}' in {file} must be a table of accounts ([{key}.NAME]); rename the "
                "other setting that uses that key"
            ).format(key=TABLE, file=file)
        )
    return {name: entry for name, entry in table.items() if isinstance(entry, dict)}


def _roles_of(entry: dict[str, Any]) -> tuple[str, ...]:
    roles = entry.get("roles", list(DEFAULT_ROLES))
    if isinstance(roles, str):
        roles = [roles]
    if not isinstance(roles, list):
        return ()
    return tuple(str(role) for role in roles)


def list_users(path: str | os.PathLike[str] | None = None) -> list[Account]:
    """Every account in the file, sorted by name (without hashes)."""
    entries = _entries(secrets_path(path))
    return [Account(name, _roles_of(entries[name])) for name in sorted(entries)]


def get_user(name: str, path: str | os.PathLike[str] | None = None) -> Account | None:
    """The account called `name`, or None. Checks no password: for an already signed-in name."""
    entry = _entries(secrets_path(path)).get(name)
    return None if entry is None else Account(name, _roles_of(entry))


def _write_atomically(file: Path, text: str) -> None:
    """Write `text` to a temporary file beside `file`, then rename it over `file`."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    except OSError as exc:
        raise SecretsFileError(_cannot_write(file, exc)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)  # hashes are still secrets
        os.replace(temporary, file)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise SecretsFileError(_cannot_write(file, exc)) from None


def _cannot_write(file: Path, exc: OSError) -> str:
    return _("cannot write the accounts file {file}: {reason}").format(file=file, reason=exc)


def check_addable(
    name: str, path: str | os.PathLike[str] | None = None, *, replace: bool = False
) -> None:
    """Raise InvalidNameError, UserExistsError (unless `replace`) or SecretsFileError now,
    before a password is asked for."""
    validate_name(name)
    file = secrets_path(path)
    if name in _entries(file) and not replace:  # also checks that the file parses
        raise UserExistsError(
            _(
                "the account {name} already exists in {file}; pass --replace to set a new "
                "password and roles for it"
            ).format(name=repr(name), file=file)
        )


def add_user(
    name: str,
    password: str,
    roles: Iterable[str] = DEFAULT_ROLES,
    path: str | os.PathLike[str] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Store `name` with an argon2id hash of `password` and `roles`; keep the rest of the file.

    Raises InvalidNameError, WeakPasswordError, UserExistsError (unless `replace`) or
    SecretsFileError; the file is unchanged when any is raised.
    """
    validate_name(name)
    role_list = list(dict.fromkeys(validate_name(role, "role name") for role in roles))
    if not role_list:
        raise InvalidNameError(_("give at least one role, e.g. --role analyst"))
    validate_password(password)
    file = secrets_path(path)
    check_addable(name, file, replace=replace)
    text = _read_text(file) or ""
    document = tomlkit.parse(text)
    if TABLE not in document:
        document[TABLE] = tomlkit.table(is_super_table=True)
    entry = tomlkit.table()
    entry["password_hash"] = _hasher.hash(password)
    entry["roles"] = role_list
    document[TABLE][name] = entry  # type: ignore[index]
    _write_atomically(file, tomlkit.dumps(document))


# ---------------------------------------------------------------------------------------------
# Checking a password


class ThrottledError(AuthError):
    """A sign-in attempt refused without its password being checked (see Throttle)."""


@dataclass
class _Record:
    """Recent failures of one name (or client address), and the lock its attempts take in turn."""

    failures: int = 0
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


PER_MINUTE_VARIABLE = "CRIMJUST_SIGNIN_FAILURES_PER_MINUTE"
DEFAULT_PER_MINUTE = 30


class Throttle:
    """Slows down password guessing, in this process's memory. The policy:

    - Per name: after `free_attempts` failures, each further attempt for the name first waits
      `base` seconds, doubling with every failure up to `cap`; a success, or `forget_after`
      seconds without a failure, resets the name. Attempts for one name are checked one at a
      time, so parallel guesses wait in turn (their delays add up). One that cannot start
      within `queue_wait` seconds (a minute) is refused (ThrottledError), so that a queue
      of guesses keeps the owner waiting at most that long.
    - Globally: while `per_minute` attempts (default CRIMJUST_SIGNIN_FAILURES_PER_MINUTE, else
      30) have failed in the last 60 seconds or are being checked, across all names, every
      further attempt is refused unchecked, saying when to try again.
    - Memory: names in the accounts file have records that no other name can push out (there
      are as many as accounts); other names keep records too, so that an unknown name waits
      exactly as an account does (the delays do not tell which names exist), in a table of at
      most `max_names`, the oldest dropped first. Under the global limit, fewer names than that
      can fail before their records are forgotten anyway.
    - `client`: an address of the client that the deployment can vouch for (set by its reverse
      proxy; not st.context.ip_address, empty on the loopback): counted and delayed like a
      name. Unused by the app itself.

    `sleep` and `clock` are injectable for tests.
    """

    def __init__(
        self,
        free_attempts: int = 3,
        base: float = 1.0,
        cap: float = 30.0,
        forget_after: float = 900.0,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_names: int = 10_000,
        per_minute: int | None = None,
        queue_wait: float = 60.0,
    ) -> None:
        self.free_attempts = free_attempts
        self.base = base
        self.cap = cap
        self.forget_after = forget_after
        self.sleep = sleep
        self.clock = clock
        self.max_names = max_names
        self._per_minute = per_minute
        self.queue_wait = queue_wait
        self._accounts: dict[str, _Record] = {}
        self._others: OrderedDict[object, _Record] = OrderedDict()
        self._recent: deque[float] = deque()  # when the last failures were, any name
        self._checking = 0  # attempts let through and not finished
        self._lock = threading.Lock()

    @property
    def per_minute(self) -> int:
        """Failed attempts a minute, across all names, beyond which attempts are refused."""
        if self._per_minute is not None:
            return self._per_minute
        raw = os.environ.get(PER_MINUTE_VARIABLE, "").strip()
        if not raw:
            return DEFAULT_PER_MINUTE
        if not raw.isdigit() or int(raw) < 1:
            raise AuthError(
                _(
                    "{name}={value} must be a whole number above zero (failed sign-ins allowed "
                    "a minute on this server): set it so, or unset it for {default}"
                ).format(name=PER_MINUTE_VARIABLE, value=repr(raw), default=DEFAULT_PER_MINUTE)
            )
        return int(raw)

    def _record(self, key: object, known: bool) -> _Record:
        """The record of `key` (made if new), reset if forgotten; call with self._lock held."""
        table: dict[Any, _Record] = self._accounts if known else self._others
        record = table.get(key)
        if record is None:
            record = table[key] = _Record()
            while len(self._others) > self.max_names:  # bounded under a spray of names
                self._others.popitem(last=False)
        elif not known:
            self._others.move_to_end(key)
        if record.failures and self.clock() - record.last > self.forget_after:
            record.failures = 0
        return record

    def _find(self, name: str) -> _Record | None:
        with self._lock:
            for known in (True, False):
                if name in (self._accounts if known else self._others):
                    return self._record(name, known)
        return None

    def failures(self, name: str) -> int:
        """Failures counted for `name` (not yet forgotten)."""
        record = self._find(name)
        return 0 if record is None else record.failures

    def _delay_after(self, failures: int) -> float:
        extra = failures - self.free_attempts
        return 0.0 if extra < 0 else min(self.cap, self.base * 2.0**extra)

    def delay(self, name: str) -> float:
        """Seconds the next attempt for `name` waits before its password is checked."""
        return self._delay_after(self.failures(name))

    def records(self) -> int:
        """How many names and addresses have a record: what the throttle holds in memory."""
        with self._lock:
            return len(self._accounts) + len(self._others)

    @contextlib.contextmanager
    def attempt(
        self, name: str, *, known: bool, client: str | None = None
    ) -> Iterator[Callable[[], None]]:
        """Let one attempt for `name` (`known`: an account in the file) through the limits,
        waiting its turn and its delay, or raise ThrottledError. Yields a function to call on
        success; leaving without calling it counts a failure."""
        # an invalid name is never an account: only its start is kept
        key = name if known or NAME_PATTERN.fullmatch(name) else name[:64]
        with self._lock:
            now = self.clock()
            while self._recent and now - self._recent[0] >= 60:
                self._recent.popleft()
            limit = self.per_minute
            if len(self._recent) + self._checking >= limit:
                wait = 60 - (now - self._recent[0]) if self._recent else 1
                raise ThrottledError(
                    _(
                        "Too many failed sign-ins on this server in the last minute (the limit "
                        "is {limit}): nothing was checked; try again in {seconds} seconds"
                    ).format(limit=limit, seconds=max(1, math.ceil(wait)))
                )
            self._checking += 1
            record = self._record(key, known)
            subjects = [record]
            if client:
                subjects.append(self._record(("client", client[:64]), False))
        succeeded = False

        def success() -> None:
            nonlocal succeeded
            succeeded = True

        try:
            if not record.lock.acquire(timeout=self.queue_wait):
                raise ThrottledError(
                    _(
                        "Too many sign-in attempts for this name at once: nothing was checked; "
                        "wait a minute and try again"
                    )
                )
            try:
                seconds = max(self._delay_after(s.failures) for s in subjects)
                if seconds > 0:
                    self.sleep(seconds)
                yield success
            finally:
                with self._lock:
                    if succeeded:
                        record.failures = 0
                    else:
                        now = self.clock()
                        for subject in subjects:
                            subject.failures += 1
                            subject.last = now
                        self._recent.append(now)
                        while len(self._recent) > limit:
                            self._recent.popleft()
                record.lock.release()
        finally:
            with self._lock:
                self._checking -= 1


THROTTLE = Throttle()


def _dummy() -> str:
    global _dummy_hash
    with _dummy_lock:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash("not-a-password-" + os.urandom(8).hex())
        return _dummy_hash


def verify(
    name: str,
    password: str,
    path: str | os.PathLike[str] | None = None,
    *,
    throttle: Throttle | None = None,
    client: str | None = None,
) -> Account | None:
    """The account if `password` is right for `name`, else None (unknown name or wrong password).

    One argon2 verification runs either way (against a dummy hash for an unknown name), so the
    time taken does not tell which names exist. Attempts go through the throttle (see Throttle;
    `client`: an address the deployment vouches for). Raises ThrottledError when the throttle
    refuses the attempt, SecretsFileError if the accounts file cannot be read.
    """
    gate = THROTTLE if throttle is None else throttle
    name = name.strip() if isinstance(name, str) else ""
    entry = _entries(secrets_path(path)).get(name) if NAME_PATTERN.fullmatch(name) else None
    with gate.attempt(name, known=entry is not None, client=client) as succeeded:
        stored = entry.get("password_hash") if entry else None
        if not isinstance(stored, str):
            stored, entry = _dummy(), None
        try:
            ok = _hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if ok and entry is not None:
            succeeded()
            return Account(name, _roles_of(entry))
    return None


# ---------------------------------------------------------------------------------------------
# Database passwords: needed for the command line's writes, and never printed or logged

MIN_SECRET_LENGTH = 4  # shorter 'passwords' would blank out ordinary words in every message
_URL_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)@")
_PASSWORD_PARAMETER = re.compile(r"(?:^|[?&\s])password\s*=\s*([^&\s]*)", re.IGNORECASE)
_log_redaction_installed = False
_log_redaction_lock = threading.Lock()
_log_redaction_urls: set[str] = set()  # URLs named on a command line, beside the environment's


class MissingCredentialsError(AuthError):
    """A command-line write to a shared PostgreSQL database without a password to give it."""


def database_password(url: str) -> str:
    """The password libpq would send for `url` ('' if none): from the URL, else PGPASSWORD, else
    a matching line of the password file (PGPASSFILE, else ~/.pgpass). libpq itself looks it
    up, exactly as for a real connection; the connection it starts is dropped at once."""
    from psycopg import pq

    connection = pq.PGconn.connect_start(url.encode())
    try:
        return (connection.password or b"").decode(errors="replace")
    finally:
        connection.finish()


def require_database_credentials(url: str) -> None:
    """Raise MissingCredentialsError unless a password is at hand for the PostgreSQL `url`.

    A server that trusts local connections would take a write from anyone on the machine; the
    command line writes only for someone who holds the database's password, and records who.
    """
    if database_password(url):
        return
    try:
        where = redacted(url)
    except ValueError:  # not even a URL: say nothing of it
        where = "CRIMJUST_DATABASE_URL"
    raise MissingCredentialsError(
        _(
            "no password for the PostgreSQL database {database}: the command line changes a "
            "shared database only with its credentials. Give the password in the URL "
            "(postgresql://USER:PASSWORD@HOST:PORT/DATABASE), in PGPASSWORD, or in a line "
            "HOST:PORT:DATABASE:USER:PASSWORD of ~/.pgpass (mode 600) or of the file named by "
            "PGPASSFILE. Nothing was changed."
        ).format(database=where)
    )


def _url_passwords(url: str) -> list[str]:
    found: list[str] = []
    userinfo = _URL_USERINFO.match(url.strip())
    if userinfo and ":" in userinfo.group(1):
        found.append(userinfo.group(1).partition(":")[2])
    found.extend(_PASSWORD_PARAMETER.findall(url))
    return found


def secrets_to_hide(*urls: str) -> tuple[str, ...]:
    """The database passwords this process knows (of CRIMJUST_DATABASE_URL, of `urls`, and
    PGPASSWORD), as written and percent-decoded, longest first."""
    from urllib.parse import unquote

    found: list[str] = []
    for url in (os.environ.get("CRIMJUST_DATABASE_URL", ""), *urls):
        found.extend(_url_passwords(url or ""))
    found.append(os.environ.get("PGPASSWORD", ""))
    variants = {form for secret in found for form in (secret, unquote(secret))}
    return tuple(
        sorted((s for s in variants if len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True)
    )


def _hide(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def redact(text: str, *urls: str) -> str:
    """`text` with every database password (see secrets_to_hide) replaced by '***'."""
    return _hide(text, secrets_to_hide(*urls))


def redact_logs(*urls: str) -> None:
    """From now on, scrub the database passwords from every log record of this process (a
    driver may quote a malformed URL in its warnings). Later calls add `urls`."""
    global _log_redaction_installed
    with _log_redaction_lock:
        _log_redaction_urls.update(urls)
        if _log_redaction_installed:
            return
        _log_redaction_installed = True
        previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        secrets = secrets_to_hide(*_log_redaction_urls)
        if not secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the handler to report, as before
            return record
        clean = _hide(message, secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[0] is not None:
            # formatted now, so that handlers print this text instead of formatting their own
            record.exc_text = _hide(logging.Formatter().formatException(record.exc_info), secrets)
        return record

    logging.setLogRecordFactory(factory)
