"""Antirisk: entry point and command line (see README and DESIGN.md for the commands)."""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import gc  # noqa: E402

if __name__ == "__main__":
    gc.disable()  # from the first import on, while the program starts (see start_over); main() turns it back on

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from models import db as storage  # noqa: E402
from models import i18n, paths, settings  # noqa: E402
from models.i18n import _  # noqa: E402
from models.lock import DatabaseLock, LockedError  # noqa: E402


def open_locked(db_path: Path) -> DatabaseLock:
    """Take the one-writer lock of a database (its folder made first), or raise LockedError / StorageError."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage.StorageError(_("Cannot create the database file {path}: {reason}").format(
            path=db_path, reason=exc.strerror)) from exc
    return DatabaseLock(db_path).acquire()


class CommandError(Exception):
    """A command that cannot be done: one sentence for stderr, exit code 1."""


def print_json(value) -> None:
    """One line of JSON on stdout: what a command answers a script (json is imported by those commands alone)."""
    import json

    print(json.dumps(value, ensure_ascii=False))


def _ms(since: float) -> int:
    return round((time.perf_counter() - since) * 1000)


def start_over() -> None:
    """The start is over: Python's cycle collector runs again, and it leaves alone what the start made.

    main() turns the collector off while the program starts: importing PySide6 and the models, and making Qt's
    types and enums, creates a few hundred thousand objects that live as long as the program, and the collector
    walked them some 45 times (about 12 ms of a window's start) to find next to no garbage. Frozen, they are not
    walked by later collections either (what gc.freeze is for)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def setup_logging() -> None:
    try:
        handler: logging.Handler = logging.FileHandler(paths.log_path(), encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


# ---- commands without a window ---------------------------------------------------------------------------------


def cmd_demo(args) -> int:
    from models.demo import DemoError, build_demo

    path = Path(args.db)
    existed = path.exists()
    try:
        db = storage.open_database(path)
    except storage.StorageError as exc:
        raise CommandError(str(exc)) from exc
    try:
        counts = build_demo(db, size=args.size, seed=args.seed)
    except DemoError as exc:
        raise CommandError(str(exc)) from exc
    except BaseException:
        db.conn.close()
        if not existed:  # nothing half-written: a file we made for a failed demo goes away
            path.unlink(missing_ok=True)
        raise
    print_json({"db": str(path), **counts})
    return 0


def cmd_check(args) -> int:
    try:
        print_json(storage.inspect(args.db))
    except storage.StorageError as exc:
        raise CommandError(str(exc)) from exc
    return 0


def cmd_backup(args) -> int:
    from models import backup

    try:
        db = storage.open_database(args.db, create=False)
        target = backup.backup_to(db, args.to)
    except (storage.StorageError, backup.BackupError) as exc:
        raise CommandError(str(exc)) from exc
    print(_("Backup written: {path}").format(path=target))
    return 0


def cmd_restore(args) -> int:
    from models import backup

    try:
        safety = backup.restore(args.db, getattr(args, "from"))
    except (storage.StorageError, backup.BackupError) as exc:
        raise CommandError(str(exc)) from exc
    print(_("Restored {db} from {source}.").format(db=args.db, source=getattr(args, "from")))
    if safety:
        print(_("The previous state was saved as {path}").format(path=safety))
    return 0


def cmd_import(args) -> int:
    """`import roadmap|students|results`: each importer's run_cli gives the exit code and the lines to print."""
    try:
        db = storage.open_database(args.db, create=False)
    except storage.StorageError as exc:
        raise CommandError(str(exc)) from exc
    if args.what == "roadmap":
        from models import roadmap_import

        code, lines = roadmap_import.run_cli(
            db, args.file, program_id=args.program, new_program_title=args.new_program,
            skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    elif args.what == "students":
        from models import student_import

        code, lines = student_import.run_cli(db, args.file, skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    else:
        from models import results_import

        code, lines = results_import.run_import_results(
            db, args.file, args.kind, args.subject, args.date, args.skip_invalid, args.dry_run)
    stream = sys.stdout if code == 0 else sys.stderr
    for line in lines:
        print(line, file=stream)
    return code


def cmd_report(args) -> int:
    from models import periods, report
    from models.pdf import PdfError

    if not args.xlsx and not args.pdf:
        raise CommandError(_("Say where to write the report: --xlsx FILE and/or --pdf FILE."))
    try:
        db = storage.open_database(args.db, create=False)
        period = periods.parse(args.period, db)
        db.conn.close()
        made = report.make_files(args.db, period.key, with_names=args.with_names, xlsx=args.xlsx, pdf=args.pdf)
    except (storage.StorageError, periods.PeriodError, PdfError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    db = storage.open_database(args.db, create=False)
    for fmt_name, path in (("xlsx", args.xlsx), ("pdf", args.pdf)):
        if path:
            report.record_export(db, made.period, fmt_name, str(Path(path).resolve()), args.with_names)
            print(_("Written: {path}").format(path=path))
    if args.with_names:
        print(_("The report contains personal data of pupils."), file=sys.stderr)
    return 0


def cmd_consolidate(args) -> int:
    from models import consolidate

    try:
        result = consolidate.consolidate([Path(p) for p in args.inputs], Path(args.out))
    except consolidate.ConsolidationError as exc:
        raise CommandError(str(exc)) from exc
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(_("Written: {path}").format(path=args.out))
    return 0


def _print_program(db, args):
    from models import documents

    return documents.print_program(db, _need_id(args), args.pdf)


def _print_roadmap(db, args):
    from models import documents

    return documents.print_roadmap(db, args.pdf)


def _print_student(db, args):
    from models import databank_print

    return databank_print.print_student(db, _need_id(args), args.pdf)


def _print_databank(db, args):
    from models import databank_print

    return databank_print.print_databank(db, args.pdf)


def _print_minutes(db, args):
    from models import minutes

    return minutes.print_minutes(db, _need_id(args), args.pdf)


def _print_route(db, args):
    from models import route_card

    return route_card.print_route(db, _need_id(args), args.pdf)


PRINTABLE = {
    "route": _print_route,
    "program": _print_program,
    "roadmap": _print_roadmap,
    "minutes": _print_minutes,
    "student": _print_student,
    "databank": _print_databank,
}


def _need_id(args) -> int:
    if args.id is None:
        raise CommandError(_("Give the number of the record to print with --id."))
    return args.id


def cmd_print(args) -> int:
    from models.pdf import PdfError

    try:
        db = storage.open_database(args.db, create=False)
        written = PRINTABLE[args.document](db, args)
    except storage.StorageError as exc:
        raise CommandError(str(exc)) from exc
    except PdfError as exc:
        raise CommandError(str(exc)) from exc
    except Exception as exc:  # each document module raises its own translated error class
        if type(exc).__name__ in ("DocumentError", "PrintError", "MinutesError", "RouteError"):
            raise CommandError(str(exc)) from exc
        raise
    print(_("Written: {path}").format(path=written))
    return 0


# ---- the window --------------------------------------------------------------------------------------------------


def run_window(args) -> int:
    if args.smoke and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    timings: dict[str, int] = {"imports": _ms(_T0)}
    t = time.perf_counter()
    db_path = Path(args.db) if args.db else paths.default_db_path()
    # What the first page reads, imported before Qt: once PySide6 is loaded it reads the source of every module an
    # import statement names for the first time (its __feature__ check): about 6 ms of the start for these.
    from models import databank, meetings, programs, routes, school  # noqa: F401
    from ui.app import ErrorHandler, create_application

    timings["qt_import"] = _ms(t)
    app = create_application(i18n.language())
    handler = ErrorHandler(str(paths.log_path()), interactive=not args.smoke).install()
    t = time.perf_counter()
    try:
        lock = open_locked(db_path)
        db = storage.open_database(db_path)
    except (storage.StorageError, LockedError) as exc:
        if args.smoke:
            raise CommandError(str(exc)) from exc
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Antirisk", str(exc))
        return 1
    timings["db_open"] = _ms(t)

    from models.school import school_profile

    if school_profile(db) is None and not args.smoke:
        from ui.wizard import SetupDialog

        start_over()
        if not SetupDialog(db).exec():
            return 0

    from ui.main_window import MainWindow

    t = time.perf_counter()
    window = MainWindow(db, str(db_path), lock=lock, backups=not args.smoke)
    window.show()
    app.processEvents()
    timings["window_shown"] = _ms(t)
    timings["start_total"] = _ms(_T0)
    start_over()
    if not args.smoke:
        window.warm_up()  # the other pages' modules, loaded while the window waits for its first click
        return app.exec()

    from ui.main_window import PAGES

    if args.smoke == "all":
        t = time.perf_counter()
        window.warm_up(after_ms=0)  # as after a start: the pages' modules loaded while the window waits
        while window.warming_up:
            app.processEvents()
        timings["warm_up"] = _ms(t)
        if window.warm_up_error:
            handler.errors.append(f"warm-up: {window.warm_up_error}")
        for spec in PAGES:
            t = time.perf_counter()
            window.show_page(spec.key)
            app.processEvents()
            timings[f"page_{spec.key}"] = _ms(t)
    if args.screenshots:
        from ui.screenshots import render_all

        render_all(window, Path(args.screenshots))
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(30000)  # work started by a page (the report preview) ends first
    app.processEvents()
    window.close()
    app.processEvents()
    print_json({"smoke": args.smoke, "ok": not handler.errors, "timings_ms": timings})
    return 1 if handler.errors else 0


# ---- parsing -------------------------------------------------------------------------------------------------------


class _WindowOnly(Exception):
    """The window's own options cannot parse this command line: the whole parser must (see parse_args)."""


class _WindowParser(argparse.ArgumentParser):
    def error(self, message: str):  # no message of its own: the whole parser says it, with the whole usage
        raise _WindowOnly(message)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; with `commands` false only the window's options (no help, errors raise)."""
    if not commands:
        parser: argparse.ArgumentParser = _WindowParser(prog="antirisk", add_help=False)
    else:
        parser = argparse.ArgumentParser(prog="antirisk", description="Antirisk — the working group's program.")
    parser.add_argument("--db", help="database file (default: in the user data folder)")
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, help="interface language (default: from settings, ru)"
    )
    parser.add_argument(
        "--smoke",
        nargs="?",
        const="all",
        choices=("start", "all"),
        help="offscreen: show the window (start) and visit every page (all); print timings as JSON",
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="with --smoke: save every page as PNG at 1366×768"
    )
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", required=True, default=argparse.SUPPRESS, help="database file")
        p.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    demo = command("demo", cmd_demo, "build a realistic fictional school in a new database")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=1)
    command("check", cmd_check, "print integrity, schema version and row counts as JSON")
    command("backup", cmd_backup, "copy the database to a file").add_argument("--to", required=True)
    command("restore", cmd_restore, "replace the database with a backup").add_argument(
        "--from", required=True, dest="from"
    )
    importer = sub.add_parser("import", help="import a roadmap, a class list or assessment results")
    kinds = importer.add_subparsers(dest="what", required=True)

    def import_kind(name: str, help_text: str) -> argparse.ArgumentParser:
        p = kinds.add_parser(name, help=help_text)
        p.add_argument("--db", required=True, help="database file")
        p.add_argument("file", help="the XLSX (or CSV) file")
        p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        p.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip the invalid ones")
        p.set_defaults(handler=cmd_import)
        return p

    roadmap = import_kind("roadmap", "a roadmap table into a program")
    target = roadmap.add_mutually_exclusive_group()
    target.add_argument("--program", type=int, help="append to this program (its number)")
    target.add_argument("--new-program", metavar="TITLE", help="make a new program with this title")
    import_kind("students", "a class list (XLSX or CSV)")
    results = import_kind("results", "assessment results")
    results.add_argument("--kind", required=True, help="vpr, oge, ege, entrance, intermediate, final, mock")
    results.add_argument("--subject", required=True, help="the subject as named in the reference list")
    results.add_argument("--date", required=True, help="YYYY-MM-DD")
    rep = command("report", cmd_report, "the report for the education department as XLSX and/or PDF")
    rep.add_argument("--period", required=True, help="2026-Q4, 2026-H1, 2026, 2026/2027-T2 or 2026-10-01..2026-12-31")
    rep.add_argument("--xlsx", help="the XLSX file to write")
    rep.add_argument("--pdf", help="the PDF file to write")
    rep.add_argument("--with-names", action="store_true", help="include pupils' names (personal data)")
    cons = sub.add_parser("consolidate", help="merge many schools' report XLSX files into one summary workbook")
    cons.add_argument("--out", required=True, help="the summary XLSX to write")
    cons.add_argument("inputs", nargs="+", help="the schools' report XLSX files")
    cons.set_defaults(handler=cmd_consolidate)
    printer = command("print", cmd_print, "print a document to PDF")
    printer.add_argument("document", choices=tuple(PRINTABLE))
    printer.add_argument("--id", type=int, help="the number the program shows for the record")
    printer.add_argument("--pdf", required=True, help="the PDF file to write")
    return parser


WRITING_COMMANDS = ("demo", "restore", "import", "report")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line. A start of the window (no command, the usual start) is read by the window's options alone:
    making the commands' parsers costs the start about 5 ms. Anything else — a command, help, a mistake — is read
    by the whole parser, so the result and every message are the same."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args, rest = build_parser(commands=False).parse_known_args(argv)
    except _WindowOnly:
        rest = argv
    if rest:
        return build_parser().parse_args(argv)
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    gc.disable()  # while the program starts (see start_over)
    try:
        return _main(argv)
    finally:
        gc.enable()  # a caller that goes on after main() (a test) has its collector back


def _main(argv: list[str] | None) -> int:
    args = parse_args(argv)
    i18n.set_language(args.lang or settings.load().get("language", i18n.DEFAULT_LANGUAGE))
    setup_logging()
    try:
        if not args.command:
            return run_window(args)
        start_over()  # a command's own work may make garbage
        if args.command not in WRITING_COMMANDS:
            return args.handler(args)
        try:
            lock = open_locked(Path(args.db))
        except (storage.StorageError, LockedError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            return args.handler(args)
        finally:
            lock.release()
    except CommandError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
