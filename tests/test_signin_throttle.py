"""Password guessing against the sign-in (issue 17, attack 6), performed with real threads on
`auth.verify` and a real accounts file: parallel guesses for one name, a spray of other names
to push an account's record out, a spray across names beyond the server's limit per minute.

The accounts file and the dummy hash use argon2id with small parameters: what is tested is the
throttle around the check, not the cost of the hash (seconds each at the real parameters).
Delays are real sleeps where their sum is what is measured, recorded ones elsewhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from crimjust_data import auth
from tests.conftest import run_page
from tests.xss_corpus import as_shown

PASSWORD = "correct horse battery"
SETTING = "CRIMJUST_SIGNIN_FAILURES_PER_MINUTE"


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An accounts file holding 'maria' (CRIMJUST_SECRETS), hashed with cheap argon2id."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setattr(auth, "_dummy_hash", None)
    monkeypatch.delenv(SETTING, raising=False)
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("CRIMJUST_SECRETS", str(path))
    auth.add_user("maria", PASSWORD, path=path)
    return path


class Clock:
    """A clock that moves only when told to (delays are recorded, not slept)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)


def in_parallel(attempts: list[Callable[[], object]], threads: int) -> list[object]:
    """Run every attempt on `threads` threads started together; each result or exception."""
    start = threading.Barrier(threads)

    def first(_: int) -> None:
        start.wait()

    def run(attempt: Callable[[], object]) -> object:
        try:
            return attempt()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(first, range(threads)))  # every thread alive before the attack
        return list(pool.map(run, attempts))


def guess(name: str, password: str, throttle: auth.Throttle, **kwargs: str) -> Callable[[], object]:
    return lambda: auth.verify(name, password, throttle=throttle, **kwargs)


def test_parallel_guesses_for_one_name_wait_in_turn(accounts: Path) -> None:
    """20 guesses for 'maria' at once (20 sessions): each waits for the ones before it, so
    their delays add up instead of running side by side."""
    waited: list[float] = []
    checking = [0, 0]  # (now, most at once)
    real = auth._hasher
    lock = threading.Lock()

    class Counted:  # the real hasher, counting the checks running at the same time
        def hash(self, password: str) -> str:
            return real.hash(password)

        def verify(self, hash_: str, password: str) -> bool:
            with lock:
                checking[0] += 1
                checking[1] = max(checking[1], checking[0])
            try:
                time.sleep(0.005)
                return real.verify(hash_, password)
            finally:
                with lock:
                    checking[0] -= 1

    auth._hasher = Counted()  # type: ignore[assignment]  (the fixture puts the real one back)

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        time.sleep(seconds)

    throttle = auth.Throttle(base=0.02, cap=0.1, sleep=sleep)
    started = time.perf_counter()
    results = in_parallel([guess("maria", f"guess {i}", throttle) for i in range(20)], 20)
    elapsed = time.perf_counter() - started
    assert results == [None] * 20
    expected = [0.02, 0.04, 0.08] + [0.1] * 14  # 3 free, then doubling up to the cap
    assert sorted(waited) == pytest.approx(sorted(expected))
    assert elapsed >= sum(expected)
    assert checking[1] == 1  # one check of 'maria' at a time
    assert throttle.failures("maria") == 20


def test_a_queue_of_guesses_does_not_hold_the_owner_for_long(accounts: Path) -> None:
    """Beyond what can start within `queue_wait`, parallel attempts for a name are refused
    unchecked, saying so; the owner then signs in once the queue is gone."""
    throttle = auth.Throttle(free_attempts=0, base=0.1, cap=0.1, queue_wait=0.25)
    results = in_parallel([guess("maria", f"guess {i}", throttle) for i in range(12)], 12)
    refused = [r for r in results if isinstance(r, auth.ThrottledError)]
    assert refused and all("for this name at once" in str(r) for r in refused)
    assert 2 <= results.count(None) <= 4  # those that started within 0.25 s (0.1 s each)
    assert auth.verify("maria", PASSWORD, throttle=throttle) == auth.Account("maria", ("analyst",))


def test_a_spray_of_other_names_neither_resets_an_account_nor_fills_memory(
    accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6 failures for 'maria', then 100,000 failures of other names (the server's limit per
    minute lifted, as if over days): maria's next guess still waits 8 s, and the throttle
    holds a bounded number of records."""
    monkeypatch.setenv(SETTING, str(10**9))
    clock = Clock()
    throttle = auth.Throttle(sleep=clock.sleep, clock=clock)
    for i in range(6):
        assert auth.verify("maria", f"guess {i}", throttle=throttle) is None
    assert clock.slept == [1.0, 2.0, 4.0]
    spray = [guess(f"user{i}", "123456", throttle) for i in range(100_000)]
    assert in_parallel(spray, 4) == [None] * len(spray)
    clock.slept.clear()
    assert auth.verify("maria", "guess 7", throttle=throttle) is None
    assert clock.slept == [8.0]  # not reset to a fresh record
    assert throttle.records() <= throttle.max_names + 1


def test_unknown_names_wait_as_accounts_do(accounts: Path) -> None:
    """The delays do not tell which names exist: 'ghost' waits exactly as 'maria' does."""
    clock = Clock()
    throttle = auth.Throttle(sleep=clock.sleep, clock=clock)
    waits = {}
    for name in ("maria", "ghost"):
        clock.slept.clear()
        for i in range(7):
            auth.verify(name, f"guess {i}", throttle=throttle)
        waits[name] = list(clock.slept)
    assert waits["maria"] == waits["ghost"] == [1.0, 2.0, 4.0, 8.0]


def test_the_servers_limit_per_minute_engages(accounts: Path) -> None:
    """200 guesses at once across other names: 30 are checked, the rest refused unchecked, and
    so is maria's right password, with a clear message, until the minute has passed."""
    clock = Clock()
    throttle = auth.Throttle(sleep=clock.sleep, clock=clock)
    results = in_parallel([guess(f"user{i}", "123456", throttle) for i in range(200)], 8)
    assert results.count(None) == 30  # checked (and wrong)
    assert all(isinstance(r, auth.ThrottledError) for r in results if r is not None)
    with pytest.raises(auth.ThrottledError, match=r"last minute \(the limit is 30\).*60 seconds"):
        auth.verify("maria", PASSWORD, throttle=throttle)
    clock.now += 30
    with pytest.raises(auth.ThrottledError, match="try again in 30 seconds"):
        auth.verify("maria", PASSWORD, throttle=throttle)
    clock.now += 30
    assert auth.verify("maria", PASSWORD, throttle=throttle) is not None


def test_limit_per_minute_setting(accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SETTING, "2")
    throttle = auth.Throttle(sleep=lambda _: None)
    assert auth.verify("a", "x", throttle=throttle) is None
    assert auth.verify("b", "x", throttle=throttle) is None
    with pytest.raises(auth.ThrottledError, match="the limit is 2"):
        auth.verify("maria", PASSWORD, throttle=throttle)
    monkeypatch.setenv(SETTING, "many")
    with pytest.raises(auth.AuthError, match=f"{SETTING}='many' must be a whole number"):
        auth.verify("maria", PASSWORD, throttle=throttle)


def test_a_client_address_is_throttled_across_names(accounts: Path) -> None:
    """Where the deployment gives a trustworthy address, its failures count across names."""
    clock = Clock()
    throttle = auth.Throttle(sleep=clock.sleep, clock=clock)
    for i in range(4):
        auth.verify(f"name{i}", "x", throttle=throttle, client="203.0.113.7")
    assert clock.slept == [1.0]  # the fourth name from that address already waited
    auth.verify("someone", "x", throttle=throttle, client="198.51.100.1")
    assert clock.slept == [1.0]  # another address: not slowed


@pytest.fixture
def form_app(accounts: Path, monkeypatch: pytest.MonkeyPatch, store_path: Path) -> Iterator[object]:
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(sleep=lambda _: None))
    yield run_page("pages/upload.py")


def test_the_sign_in_form_says_when_the_limit_refuses(
    form_app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SETTING, "2")
    app = form_app
    for name in ("x1", "x2", "maria"):
        app.text_input(key="auth_name").input(name)  # type: ignore[attr-defined]
        app.text_input(key="auth_password").input(PASSWORD)  # type: ignore[attr-defined]
        app.button(key="auth_submit").click().run()  # type: ignore[attr-defined]
    shown = " ".join(as_shown(str(e.value)) for e in app.error)  # type: ignore[attr-defined]
    assert "Too many failed sign-ins on this server in the last minute (the limit is 2)" in shown
    assert "upload_file" not in str(app.main)  # type: ignore[attr-defined]
