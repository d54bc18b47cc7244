"""Writing output files whole or not at all, and only where writing destroys nothing."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from assessment._internal.text.printable import printable

__all__ = ["UnsafeOutputError", "check_output", "write_atomically"]

Inputs = Sequence[tuple[str, str | os.PathLike[str]]]
"""The files a command reads, as (what it is, path) pairs: ('roster', 'roster.csv')."""

# The signals a user or a scheduler stops a run with. SIGKILL cannot be caught: a run
# killed by it can leave its temporary file (`.NAME.XXXXXXXX.tmp` beside NAME) behind.
_STOPPING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafeOutputError(ValueError):
    """The output path must not be written; the message names it and says what to do."""


def _quoted(path: str | os.PathLike[str]) -> str:
    return "'" + printable(os.fspath(path)) + "'"


def _new_file_problem(target: Path) -> str | None:
    parent = target.parent
    if not parent.is_dir():
        missing = "does not exist" if not parent.exists() else "is not a directory"
        return (
            f"is in {_quoted(parent)}, which {missing}: create the directory first,"
            " or choose another path"
        )
    if not os.access(parent, os.W_OK):
        return (
            f"cannot be created: the directory {_quoted(parent)} is not writable;"
            " choose another path"
        )
    return None


def _problem(path: str, inputs: Sequence[tuple[str, str]]) -> str | None:
    """What forbids writing `path`, or None."""
    target = Path(path)
    try:
        status = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return _new_file_problem(target)
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror}): choose another path"
    mode = status.st_mode
    if stat.S_ISLNK(mode):
        return "is a symbolic link: give the path of the file itself, or remove the link"
    for test, kind in _KINDS:
        if test(mode):
            hint = " (to check the inputs without keeping results, run assessment validate)"
            return f"is {kind}, not a regular file: give the path of a file to write" + (
                hint if stat.S_ISCHR(mode) else ""
            )
    for role, input_path in inputs:
        with contextlib.suppress(OSError):  # an input that cannot be read is reported as such
            read = Path(input_path).stat()
            if (read.st_dev, read.st_ino) == (status.st_dev, status.st_ino):
                spelt = "" if input_path == path else f" ({_quoted(input_path)})"
                return (
                    f"is the {role} being read{spelt}: writing the results there would destroy"
                    " it; choose another file name"
                )
    # Root may write any file, but one without any write permission is meant to be read-only.
    if not os.access(target, os.W_OK) or not mode & 0o222:
        return "is read-only: make it writable first, or choose another file name"
    return None


def check_output(path: str | os.PathLike[str], inputs: Inputs = ()) -> None:
    """Raise `UnsafeOutputError` unless `path` can be written as a regular file without
    destroying anything: not one of `inputs` (compared by device and inode, so another
    spelling of the path or a hard link counts), not a link, device, pipe or directory,
    not read-only, and in a directory that exists."""
    named = [(role, os.fspath(input_path)) for role, input_path in inputs]
    problem = _problem(os.fspath(path), named)
    if problem is not None:
        raise UnsafeOutputError(f"--output {_quoted(path)} {problem}")


class _StoppedError(BaseException):
    """A stopping signal arrived during a write (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stopping_signals_raise() -> Iterator[None]:
    """While the block runs, the first stopping signal raises `_StoppedError` in it (later
    ones wait for its cleanup); the previous handlers are back when it ends. A signal the
    process ignores (as under `nohup`) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers
        return
    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if not stopping:
            stopping.append(signum)
            raise _StoppedError(signum)

    previous = {}
    try:
        for signum in _STOPPING:
            handler = signal.getsignal(signum)
            if handler is not signal.SIG_IGN:
                previous[signum] = handler
                signal.signal(signum, stop)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _replace(target: Path, data: bytes, kept: int | None) -> None:
    """Write `data` to a new temporary file beside `target`, then rename it onto `target`;
    on any failure or stopping signal, whenever it comes, remove the temporary file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    temporary: Path | None = None
    try:
        while True:
            # Named before it exists, so that cleanup knows it whenever a signal comes.
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                # A replacement stays private until it has the mode of the file it replaces.
                fd = os.open(temporary, flags, 0o600 if kept is not None else 0o666)
                break
            except FileExistsError:
                temporary = None  # another file's name: not ours to remove
        with os.fdopen(fd, "wb") as handle:
            if kept is not None and hasattr(os, "fchmod"):  # not on older Windows
                os.fchmod(handle.fileno(), kept)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise


def write_atomically(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", inputs: Inputs = ()
) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    `path` is checked first, as `check_output` does (again: it may have changed since
    the command began). A reader never sees a half-written file; a failure or a
    stopping signal (SIGTERM, SIGINT, SIGHUP) leaves any earlier file at `path` as it
    was and no temporary file behind, and the signal then has its usual effect. A new
    file gets the mode the umask gives (as a shell's `>` would); a replaced file keeps
    its mode.
    """
    check_output(path, inputs)
    target = Path(path)
    data = text.encode(encoding)  # before any file exists: an encoding error leaves nothing
    try:
        kept: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        kept = None
    try:
        with _stopping_signals_raise():
            _replace(target, data, kept)
    except _StoppedError as stopped:
        signum = stopped.signum
    else:
        return
    # Cleaned up, with the previous handlers back: the signal now does what it would have.
    signal.raise_signal(signum)
    message = "stopped by a signal before the file was written"
    raise InterruptedError(errno.EINTR, message, os.fspath(path))
