"""A throwaway PostgreSQL cluster for the tests: started once per session, removed at the end.

The cluster lives in a fresh folder under the system temp folder, listens on 127.0.0.1 on a
free port and trusts local connections (user ``postgres``, no password). PostgreSQL refuses
to run as root, so as root the server programs run as the ``postgres`` user (``runuser``).
Durability settings are off by default (``fsync``, ``full_page_writes``): the data is thrown
away, and ``CREATE DATABASE`` per test stays fast.

Without PostgreSQL the tests that need it skip with an install hint, unless
``AIJRI_REQUIRE_POSTGRES=1`` (CI sets it), where they fail.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL_HINT = "install it with `apt-get install -y postgresql` (as root)"
REQUIRE_ENV = "AIJRI_REQUIRE_POSTGRES"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed here or its server did not start."""


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") == "1"


def server_bin() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One running PostgreSQL server; :meth:`new_database` hands out empty databases."""

    _names = itertools.count(1)

    def __init__(self, durable: bool = False) -> None:
        """``durable``: keep PostgreSQL's crash-safe defaults (fsync, full page writes,
        synchronous commit), e.g. to compare speed with SQLite's ``synchronous=FULL``."""
        bin_dir = server_bin()
        if bin_dir is None:
            raise PostgresUnavailable(f"PostgreSQL is not installed (no initdb found); {INSTALL_HINT}")
        self.bin = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="aijri-pg-"))
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                raise PostgresUnavailable("running as root and `runuser` is missing: PostgreSQL refuses to run as root")
            shutil.chown(self.dir, user="postgres")
            self._as_postgres = [runuser, "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._options = options
        self.start_server()
        self.admin_url = self.url("postgres")

    def start_server(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start", "-o", self._options)

    def stop_server(self) -> None:
        """Stop the server as a crash would (``immediate``), keeping its data for :meth:`start_server`."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def _run(self, program: str, *args: str) -> None:
        cmd = [*self._as_postgres, str(self.bin / program), *args]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir, timeout=120)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(
                f"`{program}` failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()} {log}".strip()
            )

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "t") -> str:
        """The URL of a new, empty database (created from template0)."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.stop_server()
        for _ in range(50):  # the server's files go away with it; give it a moment
            if not (self.data / "postmaster.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)


def start_or_skip(durable: bool = False) -> Cluster:
    """A started cluster, or a pytest skip naming how to install PostgreSQL (a failure when required)."""
    import pytest

    try:
        import psycopg  # noqa: F401  (the driver the store and the cluster helper use)

        return Cluster(durable=durable)
    except PostgresUnavailable as exc:
        message = str(exc)
        if required():
            pytest.fail(f"{REQUIRE_ENV}=1 but {message}", pytrace=False)
        pytest.skip(f"{message}; with {REQUIRE_ENV}=1 this is a failure")
    except ImportError as exc:  # psycopg missing: the store cannot be tested either
        if required():
            pytest.fail(f"{REQUIRE_ENV}=1 but {exc}", pytrace=False)
        pytest.skip(f"{exc}; install the project with its `test` extra")
