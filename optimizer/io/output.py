"""Safe output: the one way capplan writes a folder (run, compare, replan, convert) or a file.

Nothing the user wrote or produced earlier is lost, and no run believes it wrote what another
run replaced:

- **Claim before working.** ``OutputClaim`` reserves the target before the solve: a lock file
  beside it (``.NAME.claim``, created with ``O_EXCL``) and, for a new target, ``os.mkdir`` of
  the target itself (it fails when the folder exists). Two runs writing the same ``--out`` at
  once cannot both go ahead: the second is refused before it solves.
- **Write aside, move in one step.** Everything is written into ``.NAME.*.partial`` beside the
  target and renamed onto the claimed empty folder (atomic on POSIX). With ``--force`` the old
  folder stays whole until the new one is complete; then the two are swapped. Any way out on
  the way (an error, Ctrl-C, ``SystemExit``) removes the temporary folder and the claim.
- **Prove ownership.** The last file written into every folder is ``.capplan-output.json``: the
  command that wrote it and the sha256 of every file in it. ``--force`` replaces only a folder
  whose record matches it exactly (no file added, none edited), and never the scenario, a folder
  holding it, the adopted plan, the current folder or a folder holding that.
- **Normal permissions.** Folders and files get the modes the user's umask gives (a report is
  meant to be forwarded), not ``tempfile``'s private 0700/0600.
- **A failing disk is a message.** Disk full, a read-only folder or an ``--out`` whose parent is
  a file raise ``OutputWriteError`` naming the folder, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from optimizer.errors import CapplanError

OWNER_RECORD = ".capplan-output.json"
RESULTS = "results"  # run, replan, compare: regenerable results
SCENARIO = "scenario"  # convert: a scenario folder the user may go on to edit
# Files an operating system drops into any folder someone looks at; they hold nothing of value.
SYSTEM_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))} | {
    f"LPT{i}" for i in range(10)
}

# What this process has put on disk, for an honest message after Ctrl-C (``interrupted_message``).
_WRITTEN: list[Path] = []
_KEPT: list[Path] = []


class OutputExistsError(CapplanError):
    """The target exists, is being written by another run, or may not be replaced."""


class OutputWriteError(CapplanError):
    """The disk refused: full, read-only, or a path that cannot be a folder."""


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------
def safe_component(text: str, fallback: str = "run", max_bytes: int = 120) -> str:
    """``text`` as one harmless path component: å/ä/ö and other letters kept; separators,
    control characters and characters Windows forbids become ``-``; no leading or trailing dot
    or space, so never ``.`` or ``..`` nor a hidden name; at most ``max_bytes`` of UTF-8."""
    chars = [
        "-" if ch in '/\\:<>"|?*' or unicodedata.category(ch).startswith("C") else ch
        for ch in str(text)
    ]
    name = "".join(chars).strip(" .")
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1]
    name = name.strip(" .")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name or fallback


def fresh_folder(base: Path, stem: str) -> Path:
    """``base/stem``, or ``base/stem-2``, ``-3`` … : a path that does not exist yet and that no
    other run is claiming."""
    candidate = base / stem
    counter = 2
    while (
        candidate.exists() or candidate.is_symlink() or (base / f".{candidate.name}.claim").exists()
    ):
        candidate = base / f"{stem}-{counter}"
        counter += 1
    return candidate


# --------------------------------------------------------------------------------------
# Ownership
# --------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    """The file's sha256, read in 1 MiB chunks (manifests and ownership records alike)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(folder: Path) -> Iterator[tuple[str, Path, os.stat_result]]:
    """(relative posix path, path, lstat) of everything under ``folder``; links not followed."""

    def unreadable(exc: OSError) -> None:
        raise exc

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        for name in sorted(dirnames) + sorted(filenames):
            path = Path(dirpath) / name
            yield path.relative_to(folder).as_posix(), path, path.lstat()


def ownership_record(folder: Path, kind: str, written_by: str) -> dict:
    """What ``folder`` holds, as ``OWNER_RECORD`` states it: every file with its sha256."""
    files, folders = {}, []
    for rel, path, info in _walk(folder):
        if rel == OWNER_RECORD:
            continue
        if stat.S_ISDIR(info.st_mode):
            folders.append(rel)
        elif stat.S_ISREG(info.st_mode):
            files[rel] = sha256(path)
    return {
        "capplan_output": 1,
        "kind": kind,
        "written_by": written_by,
        "folders": folders,
        "files": files,
    }


def ownership_problem(folder: Path, kind: str) -> str | None:
    """None when ``--force`` may replace ``folder``: it is empty, or capplan wrote it as
    ``kind`` and nobody has added or changed a file since. Otherwise why not, in words."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return "it is not a folder"
    try:
        entries = [e for e in _walk(folder) if Path(e[0]).name not in SYSTEM_CLUTTER]
    except OSError as exc:
        return f"it cannot be read completely ({exc.strerror or exc})"
    if not entries:
        return None  # an empty folder: nothing to lose
    try:
        record = json.loads((folder / OWNER_RECORD).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return f"it has no {OWNER_RECORD}, capplan's record of the files it wrote"
    if not isinstance(record, dict) or record.get("capplan_output") != 1:
        return f"its {OWNER_RECORD} is not a record capplan wrote"
    files, folders = record.get("files"), record.get("folders")
    if not isinstance(files, dict) or not isinstance(folders, list):
        return f"its {OWNER_RECORD} is not a record capplan wrote"
    if record.get("kind") != kind:
        what = {RESULTS: "results", SCENARIO: "a converted scenario"}
        return (
            f"it holds {what.get(record.get('kind'), 'something else')} "
            f"({record.get('written_by', 'capplan')}), not {what.get(kind, kind)}"
        )
    for rel, path, info in entries:
        if rel == OWNER_RECORD:
            continue
        if stat.S_ISDIR(info.st_mode):
            if rel not in folders:
                return f"{rel}/ was not written by capplan"
        elif not stat.S_ISREG(info.st_mode):
            return f"{rel} is a link or special file capplan never writes"
        elif rel not in files:
            return f"{rel} was not written by capplan"
        else:
            try:
                changed = sha256(path) != files[rel]
            except OSError as exc:
                return f"{rel} cannot be read ({exc.strerror or exc})"
            if changed:
                return f"{rel} was changed after capplan wrote it"
    return None


def protected_paths(
    scenario=None, extra: Iterable[tuple[Path | str, str]] = ()
) -> list[tuple[Path, str]]:
    """The paths no output may replace, each with what it is: the scenario (folder or workbook)
    and its files, and whatever the command adds (the adopted plan, reused results)."""
    found: list[tuple[Path, str]] = []
    if scenario is not None:
        found.append((Path(scenario.root), f"the scenario {scenario.root}"))
        found += [(Path(p), f"the scenario {scenario.root}") for p in scenario.source_files]
    found += [(Path(p), what) for p, what in extra]
    return found


def _protection_problem(target: Path, protected: Iterable[tuple[Path, str]]) -> str | None:
    """Why ``target`` may never be replaced, or None: it is, or holds, a protected path."""
    resolved = target.resolve()
    for path, what in [*protected, (Path.cwd(), "the current folder")]:
        path = Path(path).resolve()
        if resolved == path:
            return f"{target} is {what}"
        if resolved in path.parents:
            return f"{target} holds {what}"
    return None


# --------------------------------------------------------------------------------------
# Failures of the disk
# --------------------------------------------------------------------------------------
def _write_error(target: Path, exc: OSError) -> OutputWriteError:
    """A disk failure in words the user can act on."""
    blocking = next((p for p in [target, *target.parents] if p.exists()), None)
    if blocking is not None and blocking != target and not blocking.is_dir():
        return OutputWriteError(
            f"cannot write {target}: {blocking} is a file, not a folder; choose another --out"
        )
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        hint = "the disk is full; free some space or choose another --out, then run again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "the folder cannot be written (read-only or not yours); choose another --out"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        hint = "a part of the path is a file, not a folder; choose another --out"
    else:
        hint = "choose another --out"
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputWriteError(f"cannot write {target}: {reason}{where}; {hint}")


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the few system calls of a swap, so that an interrupt comes
    before the swap or after it, never between the old folder leaving and the new arriving."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there: never guess
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


# --------------------------------------------------------------------------------------
# The claim
# --------------------------------------------------------------------------------------
class OutputClaim:
    """A target folder reserved for one command, from before its solve until it is written.

        with OutputClaim(out, force=force, protected=protected_paths(scenario)) as claim:
            plan = solve(...)                 # a refusal comes before this, never after
            with claim.writing() as tmp:      # write everything into tmp
                ...
        # written: claim.target holds the new folder; otherwise nothing was left behind

    ``kind`` says what the folder is (``RESULTS`` or ``SCENARIO``); ``--force`` replaces only a
    folder of the same kind that capplan provably wrote (``ownership_problem``).
    """

    def __init__(
        self,
        target: Path,
        *,
        force: bool = False,
        kind: str = RESULTS,
        protected: Iterable[tuple[Path, str]] = (),
        written_by: str = "capplan",
        fresh: bool = False,
    ) -> None:
        self.target = Path(target)
        self.force = force
        self.kind = kind
        self.protected = list(protected)
        self.written_by = written_by
        self.fresh = fresh  # a default folder: on a clash take the next free name
        self.created = False  # this claim made the (empty) target folder
        self.replacing = False  # an existing folder is to be replaced (--force)
        self.committed = False
        self._lock: Path | None = None
        self._stem = self.target.name

    @classmethod
    def new_folder(cls, base: Path, stem: str, **options) -> OutputClaim:
        """A claim on a new folder ``base/stem`` (or ``stem-2`` …), never an existing one."""
        claim = cls(fresh_folder(Path(base), stem), fresh=True, **options)
        claim._stem = stem
        return claim

    # -- claiming -------------------------------------------------------------------------
    def __enter__(self) -> OutputClaim:
        self.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def acquire(self) -> None:
        for _attempt in range(1000):
            self._make_parent()
            if not self._take_lock():
                self.target = fresh_folder(self.target.parent, self._stem)
                continue
            try:
                if self._claim_target():
                    return
            except BaseException:
                self._drop_lock()
                raise
            self._drop_lock()  # a fresh name was taken meanwhile: try the next one
            self.target = fresh_folder(self.target.parent, self._stem)
        raise OutputExistsError(f"found no free folder name beside {self.target}")

    def _make_parent(self) -> None:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(self.target, exc) from None

    def _take_lock(self) -> bool:
        """Lock the target for this run; False when another run holds a fresh-name target."""
        lock = self.target.parent / f".{self.target.name}.claim"
        stamp = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
        for _attempt in range(2):
            try:
                handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
            except FileExistsError:
                holder, alive = self._lock_holder(lock)
                if not alive:  # left by a run that was killed: clean up after it, take over
                    self._remove_leftovers_of(holder)
                    lock.unlink(missing_ok=True)
                    continue
                if self.fresh:
                    return False
                raise OutputExistsError(
                    f"{self.target} is being written by another capplan run (process {holder}); "
                    f"wait for it to finish or choose another --out (if no capplan is running, "
                    f"remove {lock})"
                ) from None
            except OSError as exc:
                raise _write_error(self.target, exc) from None
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(stamp)
            self._lock = lock
            return True
        raise OutputExistsError(f"{self.target} is being claimed by another capplan run")

    @staticmethod
    def _lock_holder(lock: Path) -> tuple[int | str, bool]:
        """The process holding ``lock`` and whether it still runs (on this machine)."""
        try:
            stamp = json.loads(lock.read_text(encoding="utf-8"))
            pid, host = int(stamp["pid"]), stamp["host"]
        except (OSError, ValueError, KeyError, TypeError):
            return "unknown", True  # being written this very moment, or not ours to judge
        return pid, host != socket.gethostname() or _alive(pid)

    def _remove_leftovers_of(self, pid: int | str) -> None:
        """What a killed run (SIGKILL, or SIGTERM without a handler) left for this target:
        its temporary folders (named with its process id) and its still empty claimed folder."""
        for partial in self.target.parent.glob(f".{self.target.name}.{pid}-*.partial"):
            shutil.rmtree(partial, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(self.target)  # only when empty: a result or anything else stays

    def _drop_lock(self) -> None:
        if self._lock is not None:
            self._lock.unlink(missing_ok=True)
            self._lock = None

    def _claim_target(self) -> bool:
        """True once the target is ours; False when a fresh name was taken by someone else."""
        target = self.target
        if not (target.exists() or target.is_symlink()):
            try:
                os.mkdir(target)
            except FileExistsError:
                if self.fresh:
                    return False
            except OSError as exc:
                raise _write_error(target, exc) from None
            else:
                self.created = True
                return True
        if self.fresh:
            return False
        self._check_replaceable()
        self.replacing = True
        return True

    def _check_replaceable(self) -> None:
        target = self.target
        never = _protection_problem(target, self.protected)
        if never:
            raise OutputExistsError(
                f"{never}; capplan never replaces it, even with --force: choose another --out"
            )
        if not self.force:
            raise OutputExistsError(
                f"{target} already exists; choose another --out or add --force to replace it"
            )
        problem = ownership_problem(target, self.kind)
        if problem:
            raise OutputExistsError(
                f"{target} is not a folder capplan wrote ({problem}); --force only replaces "
                "capplan's own output, unchanged since. Remove it yourself or choose another --out"
            )

    def protect(self, paths: Iterable[tuple[Path | str, str]]) -> None:
        """Add paths found during the work (results reused by compare); refuse now if the
        target would replace one of them."""
        self.protected += [(Path(p), what) for p, what in paths]
        if self.replacing:
            never = _protection_problem(self.target, self.protected)
            if never:
                raise OutputExistsError(f"{never}; capplan never replaces it: choose another --out")

    def release(self) -> None:
        """Give the target up: remove the claimed folder if nothing was written into it."""
        if not self.committed:
            if self.created:
                with contextlib.suppress(OSError):
                    os.rmdir(self.target)  # only ever an empty folder
            if self.replacing and self.target.exists():
                _KEPT.append(self.target)
        self._drop_lock()

    # -- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Yield an empty temporary folder beside the target; when the block ends without an
        exception it becomes the target in one rename (after the ownership record is added)."""
        from optimizer import interrupt

        if self._lock is None:
            raise RuntimeError("claim the output (acquire) before writing it")
        tmp: Path | None = None
        try:
            # an interrupt between the mkdir and the assignment would leave the folder behind:
            # hold signals until the finally below knows the folder
            with interrupt.deferred(), _signals_deferred():
                tmp = self._make_temporary_folder()
            yield tmp
            record = ownership_record(tmp, self.kind, self.written_by)
            (tmp / OWNER_RECORD).write_text(
                json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            self._move_into_place(tmp)
        except OSError as exc:
            raise _write_error(self.target, exc) from None
        finally:
            if tmp is not None and tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _make_temporary_folder(self) -> Path:
        for _attempt in range(100):
            tmp = self.target.parent / (
                f".{self.target.name}.{os.getpid()}-{secrets.token_hex(4)}.partial"
            )
            try:
                os.mkdir(tmp)  # mode 0o777 less the umask: the results can be shared
            except FileExistsError:
                continue
            except OSError as exc:
                raise _write_error(self.target, exc) from None
            return tmp
        raise OutputWriteError(f"cannot create a temporary folder beside {self.target}")

    def _move_into_place(self, tmp: Path) -> None:
        from optimizer import interrupt

        target = self.target
        # capplan's own handlers (optimizer.interrupt) and the raw signals both wait for the swap
        with interrupt.deferred(), _signals_deferred():
            if self.replacing and (target.exists() or target.is_symlink()):
                # the old folder may have been changed during the solve: look again
                problem = _protection_problem(target, self.protected) or ownership_problem(
                    target, self.kind
                )
                if problem:
                    raise OutputExistsError(
                        f"{target} changed while capplan worked ({problem}); it was left as it "
                        "is and the new results were not kept. Choose another --out"
                    )
                old = target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.old"
                os.rename(target, old)
                try:
                    os.rename(tmp, target)
                except BaseException:
                    os.rename(old, target)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                self._rename_onto_claim(tmp)
            self.committed = True
            _WRITTEN.append(target)

    def _rename_onto_claim(self, tmp: Path) -> None:
        target = self.target
        try:
            os.rename(tmp, target)  # onto the empty folder this claim made: atomic on POSIX
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) and os.name != "nt":
                raise OutputExistsError(
                    f"{target} was filled by something else while capplan worked; it was left "
                    "as it is and the new results were not kept. Choose another --out"
                ) from None
            if os.name != "nt":
                raise
            os.rmdir(target)  # Windows cannot rename onto a folder, even an empty one
            os.rename(tmp, target)


@contextlib.contextmanager
def atomic_output_dir(
    target: Path,
    force: bool = False,
    *,
    kind: str = RESULTS,
    protected: Iterable[tuple[Path, str]] = (),
    written_by: str = "capplan",
) -> Iterator[Path]:
    """Claim ``target``, yield a temporary folder, and move it into place when the block ends
    without an exception; for commands with nothing long to do between claim and write."""
    with (
        OutputClaim(
            target, force=force, kind=kind, protected=protected, written_by=written_by
        ) as claim,
        claim.writing() as tmp,
    ):
        yield tmp


@contextlib.contextmanager
def atomic_output_file(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one rename.

    A file the user names with ``--force`` is replaced (never a folder); the file gets the
    permissions the umask gives, like any file the user saves.
    """
    target = Path(target)
    if target.is_dir():
        # convert writes a workbook, project a CSV table: the name asked for is the target's kind
        raise OutputExistsError(
            f"{target} is a folder; choose a file name ending in {target.suffix or '.xlsx'}"
        )
    if target.exists() and not force:
        raise OutputExistsError(f"{target} already exists; add --force to replace it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(target, exc) from None
    tmp = target.parent / f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}{target.suffix}"
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        yield tmp
        with _signals_deferred():
            os.replace(tmp, target)
            _WRITTEN.append(target)
    except OSError as exc:
        raise _write_error(target, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def interrupted_message() -> str:
    """What an interrupted command has left on disk, in one sentence (for the exit-130 line)."""
    written = [p for p in dict.fromkeys(_WRITTEN) if p.exists()]
    if written:
        where = ", ".join(str(p) for p in written)
        return f"Interrupted after the results were written: {where} is complete."
    kept = [p for p in dict.fromkeys(_KEPT) if p.exists()]
    text = "Interrupted; no results were written."
    if kept:
        text += f" {', '.join(str(p) for p in kept)} still holds the earlier results, unchanged."
    return text
