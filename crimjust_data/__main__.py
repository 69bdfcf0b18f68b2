"""Command line: `python -m crimjust_data COMMAND --help`.

Exit codes: 0 done, 1 rejected or failed with nothing changed, 2 usage error.
Problems are one line each, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from crimjust_data import auth, disclosure, i18n
from crimjust_data.countries import REGIONS, known_iso3
from crimjust_data.errors import CrimjustError
from crimjust_data.ingest.aliases import UNIT_COLUMN
from crimjust_data.ingest.pipeline import (
    TABLE_ALIASES,
    ImportOutcome,
    import_file,
    load_demo,
    validate_file,
)
from crimjust_data.paths import URL_FORM, database_path, database_url, duckdb_file, postgres_url
from crimjust_data.schemas import COLUMNS
from crimjust_data.store import DuckDBStore, Store, open_store
from crimjust_data.store.backup import noting_backups

if TYPE_CHECKING:
    from crimjust_data.metrics import Filters

# snapshot.FORMATS, named here so that other commands need not import plotly and the snapshot
# machinery just to build the parser (a third of a second at every start; tests check the two).
SNAPSHOT_FORMATS = ("html", "pdf", "csv", "xlsx")
# queries.activities' DEFAULT_WINDOW_MONTHS and WINDOW_CHOICES, named here for the same reason:
# that module imports metrics, and with it statsmodels and scipy (0.4 s at every import).
DEFAULT_WINDOW_MONTHS = 12
WINDOW_CHOICES = (3, 6, 12, 18, 24, 36)
# --table: each table once, by its short name ('annual' for annual_seizures)
TABLE_CHOICES = ("seizures", "annual", "cases", "activities")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _iso3(text: str) -> str:
    code = text.strip().upper()
    if code not in known_iso3():
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO3 country code (e.g. BRA, CPV)")
    return code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crimjust_data",
        description="CRIMJUST dashboard data: load demo data, import files, list and roll back "
        "versions. The store is the PostgreSQL database in CRIMJUST_DATABASE_URL, else the DuckDB "
        "file in CRIMJUST_DB, else var/crimjust.duckdb.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="generate synthetic demo seizures and cases and load them as new versions",
        description="Generate deterministic synthetic seizures and cases and load them as new "
        "versions (replacing the active seizures and cases unless --mode append).",
    )
    demo.add_argument("--seed", type=int, default=2016, help="random seed (default 2016)")
    demo.add_argument("--seizures", type=_positive, default=6000, help="seizure events (6000)")
    demo.add_argument("--cases", type=_positive, default=3000, help="criminal cases (3000)")
    demo.add_argument("--mode", choices=("append", "replace"), default="replace")

    load = commands.add_parser(
        "import",
        help="validate a CSV/XLSX file and load it as a new version",
        description="Validate a CSV or XLSX file and load it as a new version. A dataUNODC "
        "'Drug seizures' export, UNODC's individual drug seizures, a World Drug Report seizure "
        "table and a table of annual totals are recognised without --table. Rows of other "
        "drugs or with no amount are skipped and counted; nothing is stored unless every "
        "other row passes. Exit 0 loaded, 1 rejected (nothing changed), 2 usage error.",
    )
    load.add_argument("path", type=Path, help="the file to import")
    load.add_argument("--table", choices=TABLE_CHOICES, default=None)
    load.add_argument("--mode", choices=("append", "replace"), default="append")
    load.add_argument("--dry-run", action="store_true", help="check only; store nothing")
    load.add_argument("--format", choices=("text", "json"), default="text")
    _add_reading_arguments(load)

    check = commands.add_parser(
        "validate",
        help="check a CSV/XLSX file as import --dry-run does, and report every problem",
        description="Check a CSV or XLSX file exactly as `import --dry-run` does and list every "
        "error and warning by row, column and value; nothing is stored. "
        "Exit 0 valid, 1 invalid, 2 usage error.",
    )
    check.add_argument("path", type=Path, help="the file to check")
    check.add_argument("--table", choices=TABLE_CHOICES, default=None)
    check.add_argument("--format", choices=("text", "json"), default="text")
    _add_reading_arguments(check)

    versions = commands.add_parser(
        "versions",
        help="list every loaded version, newest first",
        description="List every version (each load), newest first, and whether it is active.",
    )
    versions.add_argument("--table", choices=TABLE_CHOICES, default=None)
    versions.add_argument("--format", choices=("text", "json"), default="text")

    rollback = commands.add_parser(
        "rollback",
        help="deactivate a version (its rows are kept; a rolled-back replace un-hides)",
        description="Deactivate a version. Nothing is deleted: its rows stay stored, and rolling "
        "back a replace brings back what it had replaced.",
    )
    rollback.add_argument("version_id", type=int, help="the version to roll back")

    users = commands.add_parser(
        "users",
        help="add and list the analyst accounts that may upload and roll back in the app",
        description="Analyst accounts for signing in to the app: argon2id password hashes in "
        ".streamlit/secrets.toml (or the file in CRIMJUST_SECRETS).",
    )
    users_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_commands.add_parser(
        "add",
        help="add an account (prompts for the password twice)",
        description="Add an analyst account. The password is asked for twice without echo "
        f"(at least {auth.MIN_PASSWORD_LENGTH} characters) and only its argon2id hash is stored; "
        "the rest of the secrets file is kept as it is.",
    )
    add.add_argument("name", help="letters, digits, '.', '_' or '-', e.g. maria.lopez")
    add.add_argument(
        "--role",
        action="append",
        dest="roles",
        metavar="ROLE",
        help="a role to give (repeatable; default: analyst)",
    )
    add.add_argument(
        "--replace", action="store_true", help="overwrite the account if it already exists"
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from one line of standard input instead of prompting",
    )
    report = commands.add_parser(
        "snapshot",
        help="write a donor snapshot (HTML, PDF, CSV zip or XLSX) for some filters",
        description="Write the donor snapshot the export page makes: headline figures, maps, "
        "Sankey, timeline, justice funnel and rates, sources and dataset versions, and with "
        "--activity one program activity before and after. Case counts below the small-cell "
        "threshold are shown as '<N'.",
    )
    report.add_argument("--out", type=Path, required=True, help="the file to write")
    report.add_argument(
        "--format",
        choices=SNAPSHOT_FORMATS,
        default=None,
        help="html, pdf, csv (a zip of CSV files) or xlsx; default: from --out's extension",
    )
    _add_filter_arguments(report)
    report.add_argument("--lang", choices=tuple(i18n.LANGUAGES), default="en", help="language (en)")
    report.add_argument(
        "--suppress-below",
        type=_threshold,
        default=None,
        metavar="N",
        help="show case counts from 1 to N-1 as '<N' (default "
        f"{disclosure.THRESHOLD_SETTING}, else {disclosure.DEFAULT_THRESHOLD}; 0 turns it off)",
    )
    report.add_argument(
        "--activity",
        metavar="ID",
        help="add the before/after section of this program activity (its id, as on the "
        "Activities and results page); the filters do not apply to that section",
    )
    report.add_argument(
        "--window",
        type=int,
        choices=WINDOW_CHOICES,
        metavar="N",
        help="months before and after the activity, one of "
        f"{', '.join(map(str, WINDOW_CHOICES))} (default {DEFAULT_WINDOW_MONTHS}); "
        "needs --activity",
    )

    numbers = commands.add_parser(
        "metrics",
        help="print the dashboard's numbers for some filters (text or JSON)",
        description="Print the numbers the pages show for a selection: seizures, cases, the "
        "prosecution and conviction rates with their Wilson 95%% intervals and n, the "
        "Kaplan-Meier time to verdict, and with --activity the before/after tests of one "
        "program activity (or of every activity the selection's timeline marks: --activity "
        "all). Rates are fractions from 0 to 1 in JSON; null where not computable.",
    )
    _add_filter_arguments(numbers)
    numbers.add_argument(
        "--activity", metavar="ID|all", help="an activity's id, or 'all' activities selected"
    )
    numbers.add_argument(
        "--window",
        type=int,
        choices=WINDOW_CHOICES,
        metavar="N",
        help=f"months before and after each activity (default {DEFAULT_WINDOW_MONTHS})",
    )
    numbers.add_argument("--format", choices=("text", "json"), default="text")

    migrate = commands.add_parser(
        "migrate",
        help="move every version of a DuckDB store into an empty PostgreSQL database",
        description="Copy every version (active, superseded and rolled back, with its rows, "
        "author, time and checksum) and the saved column mappings of a DuckDB store into an "
        "empty PostgreSQL database, in one transaction, and check the copy. The DuckDB file "
        "is only read.",
    )
    migrate.add_argument(
        "--from",
        dest="source",
        help="the DuckDB file to read (default: CRIMJUST_DB, else var/crimjust.duckdb)",
    )
    migrate.add_argument(
        "--to",
        dest="target",
        help="postgresql://user:password@host:port/database (default: CRIMJUST_DATABASE_URL)",
    )

    users_commands.add_parser(
        "list",
        help="list the accounts and their roles (never the hashes)",
        description="List every analyst account and its roles. Password hashes are not shown.",
    )
    return parser


def _mapping(text: str) -> tuple[str, str]:
    header, sep, field = text.partition("=")
    field = field.strip()
    fields = {c for columns in COLUMNS.values() for c in columns} | {UNIT_COLUMN}
    if not sep or not header.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: write HEADER=FIELD, e.g. 'Peso bruto=quantity_kg'"
        )
    if field and field not in fields:
        raise argparse.ArgumentTypeError(
            f"{field!r} is not a column of any table: use one of {', '.join(sorted(fields))}, "
            "or nothing after '=' to ignore the header"
        )
    return header.strip(), field


def _add_reading_arguments(command: argparse.ArgumentParser) -> None:
    """--map and --country: what the upload page's column mapping and country choice say."""
    command.add_argument(
        "--map",
        dest="mapping",
        action="append",
        type=_mapping,
        default=[],
        metavar="HEADER=FIELD",
        help="read the file's column HEADER as FIELD, a column of the table as in schemas.py "
        "(e.g. 'Peso bruto=quantity_kg'; 'quantity_unit' for a unit column; nothing after '=' "
        "ignores the column); repeatable",
    )
    command.add_argument(
        "--country",
        type=_iso3,
        default=None,
        metavar="ISO3",
        help="the country of every row whose country the file does not give (e.g. BRA)",
    )


def _add_filter_arguments(command: argparse.ArgumentParser) -> None:
    """--region, --country, --from and --to: the sidebar's filters on the command line."""
    command.add_argument(
        "--region",
        action="extend",
        nargs="+",
        default=[],
        choices=REGIONS,
        metavar="REGION",
        help=f"only these regions ({', '.join(REGIONS)})",
    )
    command.add_argument(
        "--country",
        action="extend",
        nargs="+",
        default=[],
        type=_iso3,
        metavar="ISO3",
        help="only these countries, by ISO3 code (e.g. BRA CPV)",
    )
    command.add_argument(
        "--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="first day"
    )
    command.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="last day")


def _filters(args: argparse.Namespace) -> Filters:
    from crimjust_data.metrics import Filters

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CrimjustError(f"--from {args.date_from} is after --to {args.date_to}")
    return Filters(
        date_from=args.date_from,
        date_to=args.date_to,
        regions=tuple(dict.fromkeys(args.region)),
        countries=tuple(dict.fromkeys(args.country)),
    )


def _cmd_metrics(store: Store, args: argparse.Namespace) -> int:
    from crimjust_data import numbers

    if args.window is not None and args.activity is None:
        raise CrimjustError("--window is for the before/after tests: add --activity ID or all")
    activity = None if args.activity is None else args.activity.strip()
    found = numbers.report(store, _filters(args), activity, args.window or DEFAULT_WINDOW_MONTHS)
    print(json.dumps(found, indent=2) if args.format == "json" else numbers.text(found))
    return 0


def _cmd_demo(store: Store, args: argparse.Namespace) -> int:
    with noting_backups() as backups:
        loaded = load_demo(store, args.seed, args.seizures, args.cases, args.mode)
    for version in loaded:
        print(f"loaded version {version.version_id}: {version.rows:,} rows of {version.table_name}")
    _tell_backups(store, backups, args.mode == "replace")
    return 0


def _tell_backups(
    store: Store, backups: list[Path], replacing: bool, out: TextIO | None = None
) -> None:
    """Where the backup taken before a replace went (README: 'Backups and recovery'); a
    PostgreSQL store takes none: its server's backups are the way back."""
    for path in backups:
        print(f"backup of the store as it was before: {path}", file=out or sys.stdout)
    if replacing and not isinstance(store, DuckDBStore):
        print(
            "note: no backup taken here: back up the PostgreSQL database with its server's "
            "tools (pg_dump); a replace can also be undone with `rollback VERSION_ID`",
            file=out or sys.stdout,
        )


def _emit(text: str) -> None:
    """Print a report to stdout; a reader that stops early (`| head`) does not turn a load
    that was stored into a failure: the rest is dropped."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Later writes (and the flush at exit) go nowhere instead of raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _print_problems(outcome: ImportOutcome, headline: str) -> None:
    """Every error, one line each, as row, column, value and what to fix (on stderr)."""
    print(headline, file=sys.stderr)
    for error in outcome.errors:
        where = f"row {error['row']}" if error["row"] is not None else "file"
        if error["column"]:
            where += f", column {error['column']}"
        value = f" (value {error['value']!r})" if error["value"] not in (None, "") else ""
        print(f"  {where}{value}: {error['message']}", file=sys.stderr)


def _cmd_import(store: Store, args: argparse.Namespace) -> int:
    table = TABLE_ALIASES[args.table] if args.table else None
    with noting_backups() as backups:
        outcome = import_file(
            store,
            args.path,
            table,
            args.mode,
            args.dry_run,
            mapping=dict(args.mapping),
            country=args.country,
        )
    replacing = args.mode == "replace" and not args.dry_run
    if args.format == "json":
        _emit(json.dumps(outcome.to_dict(), indent=2, default=str))
        _tell_backups(store, backups, replacing and outcome.ok, sys.stderr)  # stdout: JSON only
        return 0 if outcome.ok else 1
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    if outcome.ok:
        if outcome.dry_run:
            print(f"dry run: {outcome.rows:,} rows of {outcome.table} would load; nothing stored")
        else:
            print(f"loaded version {outcome.version_id}: {outcome.rows:,} rows of {outcome.table}")
        _tell_backups(store, backups, replacing)
        return 0
    _tell_backups(store, backups, False, sys.stderr)
    _print_problems(outcome, f"rejected {args.path.name}: nothing was stored")
    return 1


def _cmd_validate(store: Store, args: argparse.Namespace) -> int:
    table = TABLE_ALIASES[args.table] if args.table else None
    outcome = validate_file(
        store, args.path, table, mapping=dict(args.mapping), country=args.country
    )
    if args.format == "json":
        report = outcome.to_dict()
        del report["version_id"], report["dry_run"]
        _emit(json.dumps(report, indent=2, default=str))
        return 0 if outcome.ok else 1
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    if outcome.ok:
        print(f"valid: {outcome.rows:,} rows of {outcome.table} would load")
        return 0
    _print_problems(outcome, f"invalid {args.path.name}: {len(outcome.errors)} problem(s)")
    return 1


def _cmd_versions(store: Store, args: argparse.Namespace) -> int:
    table = TABLE_ALIASES[args.table] if args.table else None
    versions = store.versions(table)
    if args.format == "json":
        print(json.dumps([v.to_dict() for v in versions], indent=2))
        return 0
    if not versions:
        print("no versions: the store is empty")
        return 0
    print(
        f"{'id':>4}  {'table':<16}{'rows':>9}  {'mode':<8}{'state':<13}{'loaded (UTC)':<18}source"
    )
    for v in versions:
        state = "active" if v.active else ("rolled back" if v.rolled_back_at else "superseded")
        print(
            f"{v.version_id:>4}  {v.table_name:<16}{v.rows:>9,}  {v.mode:<8}{state:<13}"
            f"{v.loaded_at:%Y-%m-%d %H:%M}  {v.source}{' [synthetic]' if v.synthetic else ''}"
        )
    return 0


def _cmd_rollback(store: Store, args: argparse.Namespace) -> int:
    version = store.rollback(args.version_id)
    print(
        f"rolled back version {version.version_id} ({version.rows:,} rows of "
        f"{version.table_name}); its rows are kept and no longer counted"
    )
    return 0


def _cmd_snapshot(store: Store, args: argparse.Namespace) -> int:
    from crimjust_data import snapshot

    out: Path = args.out
    fmt = args.format or {"htm": "html", "zip": "csv"}.get(
        out.suffix.lower().lstrip("."), out.suffix.lower().lstrip(".")
    )
    if fmt not in snapshot.FORMATS:
        raise CrimjustError(
            f"cannot tell the format from {out.name!r}: add --format html, pdf, csv or xlsx"
        )
    filters = _filters(args)
    if not out.parent.is_dir():
        raise CrimjustError(f"the folder {out.parent} does not exist: create it first")
    if args.window is not None and args.activity is None:
        raise CrimjustError("--window is the activity section's: add --activity ID")
    activity = (
        None
        if args.activity is None
        else (args.activity.strip(), args.window or DEFAULT_WINDOW_MONTHS)
    )
    threshold = (
        disclosure.configured_threshold() if args.suppress_below is None else args.suppress_below
    )
    started = time.perf_counter()
    report = snapshot.build(store, filters, lang=args.lang, threshold=threshold, activity=activity)
    data = snapshot.render(report, fmt)
    # Written beside the target, then renamed: a failure never leaves a half-written file.
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CrimjustError(f"could not write {out}: {error.strerror or error}") from error
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"wrote {out} ({fmt}, {len(data) / 1e6:.2f} MB) in {time.perf_counter() - started:.1f} s: "
        f"{report.scope}"
    )
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise auth.AuthError("no password on standard input (expected one line)")
        return line.rstrip("\r\n")
    password = getpass.getpass("Password: ")
    auth.validate_password(password)  # say so before asking again
    if getpass.getpass("Repeat the password: ") != password:
        raise auth.AuthError("the two passwords differ; nothing was stored, please try again")
    return password


def _cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "list":
        accounts = auth.list_users()
        if not accounts:
            print(
                f"no analyst accounts in {auth.secrets_path()}; add one with `{auth.ADD_COMMAND}`"
            )
            return 0
        width = max(len(account.name) for account in accounts)
        for account in accounts:
            print(f"{account.name:<{width}}  {', '.join(account.roles) or '(no roles)'}")
        return 0
    roles = tuple(args.roles or auth.DEFAULT_ROLES)
    auth.check_addable(args.name, replace=args.replace)  # before the prompt, not after it
    for role in roles:
        auth.validate_name(role, "role name")
    try:
        password = _read_password(args.password_stdin)
    except (KeyboardInterrupt, EOFError):
        print("\ncancelled: nothing was stored", file=sys.stderr)
        return 1
    auth.add_user(args.name, password, roles, replace=args.replace)
    print(f"saved account {args.name!r} (roles: {', '.join(roles)}) in {auth.secrets_path()}")
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    from crimjust_data.store.migrate import migrate
    from crimjust_data.store.postgres_store import PostgresStore

    target_url = postgres_url(args.target, "--to") if args.target else database_url()
    if not target_url:
        raise CrimjustError(f"say where to: --to {URL_FORM} (or set CRIMJUST_DATABASE_URL)")
    source_path = duckdb_file(args.source, "--from") if args.source else database_path()
    if not source_path.is_file():
        raise CrimjustError(f"there is no DuckDB file at {source_path}: give it with --from")
    auth.require_database_credentials(target_url)
    source = DuckDBStore(source_path)
    target = PostgresStore(target_url)
    try:
        started = time.perf_counter()
        with noting_backups() as backups:
            moved = migrate(source, target)
    finally:
        target.close()
    _tell_backups(source, backups, False)
    rows = ", ".join(f"{count:,} {table}" for table, count in moved.rows.items())
    print(
        f"moved {moved.versions} versions ({rows}) and {moved.mappings} saved mappings from "
        f"{source.description} to {target.description} in {time.perf_counter() - started:.1f} s"
    )
    return 0


COMMANDS = {
    "demo": _cmd_demo,
    "import": _cmd_import,
    "validate": _cmd_validate,
    "versions": _cmd_versions,
    "rollback": _cmd_rollback,
    "snapshot": _cmd_snapshot,
    "metrics": _cmd_metrics,
}


def _writes(args: argparse.Namespace) -> bool:
    """True for the commands that change the store (migrate checks its own target)."""
    if args.command == "import":
        return not args.dry_run
    return args.command in ("demo", "rollback")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # exits 2 on a usage error
    # A driver's warning or error may quote a malformed URL, password included: never print it.
    named_urls = [args.target] if getattr(args, "target", None) else []
    auth.redact_logs(*named_urls)
    try:
        if args.command == "users":  # accounts only: the store is not opened
            return _cmd_users(args)
        if args.command == "migrate":  # two stores, named on the command line
            return _cmd_migrate(args)
        shared = database_url()
        if shared and _writes(args):  # a shared database is changed only by who holds its password
            auth.require_database_credentials(shared)
        return COMMANDS[args.command](open_store(), args)
    except CrimjustError as exc:
        print(f"error: {auth.redact(str(exc), *named_urls)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not the user's fault: still one line, and nothing stored
        print(
            f"error: unexpected {type(exc).__name__}: {auth.redact(str(exc), *named_urls)}. "
            "Nothing was stored; please report this with the file that caused it",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
