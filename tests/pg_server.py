"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary folder, a free port.

`make test` installs Debian's postgresql package when it is missing (as root); this module
only starts and stops a server. As root, the server runs as the package's `postgres` user
(initdb refuses root). Durability is switched off: nothing here must outlive the run.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    as_user: list[str]
    # The URL carries a password, as a deployment's does (the command line writes only with
    # one); a server started without `password` trusts every local connection and ignores it.
    password: str = "not-checked"
    checks_password: bool = False  # scram-sha-256: the password must be right

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    @property
    def url_without_password(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start(password: str | None = None) -> Server:
    """Initialise and start a server on a free local port; raises RuntimeError with the log.

    Without `password` the server trusts every local connection; with it, every connection
    must give that password for the user postgres (scram-sha-256)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="crimjust_pg_"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the package's user
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Server(folder, _free_port(), bin_dir, as_user)
    authentication = ["-A", "trust"]
    if password is not None:
        server.password, server.checks_password = password, True
        password_file = folder / "password"
        password_file.write_text(password + "\n")
        if as_user:
            shutil.chown(password_file, "postgres", "postgres")
        authentication = ["-A", "scram-sha-256", f"--pwfile={password_file}"]
    options = (
        f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    try:
        server._run(
            "initdb", "-D", str(folder / "data"), "-U", "postgres", *authentication,
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        server._run(
            "pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        output = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(
            f"could not start PostgreSQL: {exc}\n{output.decode(errors='replace')}\n{log}"
        ) from None
    return server
