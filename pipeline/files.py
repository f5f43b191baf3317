"""Files at the edge: reading inputs, writing outputs atomically, holding signals back meanwhile.

Outputs are written to a temporary name beside their final name and renamed (``commit``), so no
partial file is ever left; ^C, SIGTERM and the per-document timeout are held back while outputs
are written and renamed (``deferred_signals``).  Inputs are read only when they are regular files
(``read_input``: a FIFO would block).  Decoding is ``pipeline.decode``'s.
"""

from __future__ import annotations

import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


# ---------------------------------------------------------------------- reading


class Refused(OSError):
    """An input that is not read: not a regular file (a FIFO, a device, a socket)."""


def read_input(path: str) -> bytes:
    """The bytes of a regular file.  Anything else is refused without reading from it (a FIFO
    opened for reading would block until a writer comes, whatever the timeout)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a FIFO (named pipe)"
                if stat.S_ISFIFO(st.st_mode)
                else "a socket"
                if stat.S_ISSOCK(st.st_mode)
                else "a device"
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "not a file"
            )
            raise Refused(f"{path}: {kind}, not a regular file; not read")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        chunks = []
        size = st.st_size + 1  # one read for the whole file, and one that sees its end
        while True:
            chunk = os.read(fd, max(size, 65536))
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)  # one chunk: that very object, no copy
    finally:
        if fd >= 0:
            os.close(fd)


# ---------------------------------------------------------------------- writing


def temporary_name(path: Path) -> Path:
    """The temporary name an output is written to before it is renamed: ``.<name>.<pid>.tmp``
    beside it (``batch.manifest.clean_temporaries`` removes only names of this form)."""
    head, name = os.path.split(path)
    return Path(head, f".{name}.{_pid}.tmp")


def write_temporary(path: Path, data: bytes) -> Path:
    """Write ``data`` to the temporary name of ``path`` and return that name (nothing is left
    behind when the write fails or is interrupted)."""
    tmp = temporary_name(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, flags, 0o644)
    try:
        view = memoryview(data)
        while view:  # os.write may write less than asked (a signal, a full pipe)
            view = view[os.write(fd, view) :]
        fd, closing = -1, fd
        os.close(closing)  # may fail (a full disk, NFS): never closed twice
    except BaseException:
        if fd >= 0:
            os.close(fd)
        discard([(tmp, path)])
        raise
    return tmp


def discard(pending: list[tuple[Path, Path]]) -> None:
    """Remove temporaries that will not be renamed."""
    for tmp, _ in pending:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def commit(pending: list[tuple[Path, Path]]) -> None:
    """Rename written temporaries to their final names (``(temporary, final)`` pairs)."""
    try:
        for tmp, final in pending:
            os.replace(tmp, final)
    except BaseException:
        discard(pending)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    commit([(write_temporary(path, data), path)])


def remove_outputs(paths: Iterable[Path]) -> None:
    """Delete the outputs of an earlier conversion of a document that now fails (no stale pair is
    left that the manifest or the catalogue would contradict)."""
    for p in paths:
        try:
            os.unlink(p)
        except (FileNotFoundError, ValueError):  # ValueError: a NUL in the name, no such file either
            pass


# ---------------------------------------------------------------------- signals


class Terminated(KeyboardInterrupt):
    """SIGTERM (a job scheduler, ``timeout``): a batch run stops as on ^C, closing its report,
    catalogue and manifest on the way out."""


_DEFERRED = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGALRM") if hasattr(signal, name)}


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold back ^C, SIGTERM and the per-document timeout while outputs are written and renamed:
    the interruption lands before or after, never between the creation of a temporary and its
    bookkeeping, nor between the two renames of a pair.  (Main thread only: signals go there.)"""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
