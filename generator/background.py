"""Run one pure function in a forked child while the parent goes on.

The output check (sqlglot parsing the whole DDL) needs nothing but the DDL and
the model, and its answer is a short list of diagnostics; the parent meanwhile
renders the Python modules.  On a large spec the two overlap on two cores.
Where forking is not safe or not worth it, the function simply runs in the
parent when asked for its result, and it runs there again if the child fails
for any reason: the answer never depends on how it was computed.

With ``late`` the child is forked before the function's last argument exists
(the check's child starts before the DDL is rendered): ``fn(*args)`` returns
the function of that value, and runs in the child while the parent renders
(importing sqlglot, reading the model); ``send(value)`` then hands the value
over through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_UNSENT = object()


def _can_fork() -> bool:
    # Linux only (fork is unsafe with some macOS system libraries), and never
    # from a process with other threads, which a fork would leave half-copied.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _child(fn: Callable[..., Any], args: tuple[Any, ...], late: int, out: int) -> None:
    """Compute in the child and send ``(ok, value)``; ``late``: the input pipe or -1."""
    try:
        payload: tuple[bool, Any] = (False, None)  # the parent reruns it and reports
        try:
            if late < 0:
                payload = (True, fn(*args))
            else:
                finish = fn(*args)  # the work that needs no input, while the parent renders
                with os.fdopen(late, "rb") as pipe:
                    data = pipe.read()
                if not data:  # cancelled: the parent never sent the input
                    return
                payload = (True, finish(pickle.loads(data)))
        except BaseException:  # noqa: BLE001, S110 - the parent reruns it and reports
            pass
        with os.fdopen(out, "wb") as pipe:
            pipe.write(pickle.dumps(payload))
    finally:
        os._exit(0)


class Background(Generic[T]):
    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True, late: bool = False):
        self.fn, self.args, self.late = fn, args, late
        self.value: Any = _UNSENT
        self.pid = 0
        self.fd = -1
        self.input = -1
        if not (fork and _can_fork()):
            return
        read, write = os.pipe()
        late_read, late_write = os.pipe() if late else (-1, -1)
        try:
            pid = os.fork()
        except OSError:
            for fd in (read, write, late_read, late_write):
                if fd >= 0:
                    os.close(fd)
            return
        if pid == 0:  # the child: compute, send, and leave without cleanup
            os.close(read)
            if late:
                os.close(late_write)  # else the input pipe never reads to its end
            # The work runs in a grandchild, which init reaps: the parent needs its
            # answer, not its exit, and leaving a process with the DDL's ~90 MB of
            # tokens and trees takes 30-50 ms (waitpid measured at 1,000 tables).
            # The parent reaps this first child at once; it exits as soon as it forked.
            try:
                if os.fork() == 0:
                    _child(fn, args, late_read, write)
            finally:
                os._exit(0)
        os.close(write)
        if late:
            os.close(late_read)
        os.waitpid(pid, 0)  # the first child, gone once it forked the worker
        self.pid, self.fd, self.input = pid, read, late_write

    def send(self, value: Any) -> None:
        """Give a ``late`` function its last argument."""
        self.value = value
        if self.input >= 0:
            fd, self.input = self.input, -1
            try:
                with os.fdopen(fd, "wb") as pipe:
                    pipe.write(pickle.dumps(value))
            except OSError:  # the child is gone: result() runs it here
                pass

    @property
    def sent(self) -> bool:
        return self.value is not _UNSENT

    def cancel(self) -> None:
        """Stop a ``late`` child that will get no input (the parent failed first)."""
        if self.input >= 0:
            os.close(self.input)
            self.input = -1
        if self.pid:
            self.pid = 0
            os.close(self.fd)

    def result(self) -> T:
        if self.late and not self.sent:
            raise RuntimeError("result() before send()")
        if self.pid:
            self.pid = 0
            with os.fdopen(self.fd, "rb") as pipe:
                data = pipe.read()  # to its end: the worker wrote and closed it
            try:
                ok, value = pickle.loads(data)
            except Exception:  # noqa: BLE001 - a child killed mid-write: run it here
                ok, value = False, None
            if ok:
                return value  # type: ignore[no-any-return]
        if self.late:
            return self.fn(*self.args)(self.value)  # type: ignore[no-any-return]
        return self.fn(*self.args)  # type: ignore[no-any-return]
