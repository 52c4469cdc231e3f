"""Queries that can be stopped: a local query runs in a child process that ends at the command's
deadline, on Ctrl-C, or when it needs more memory than allowed.

Oxigraph evaluates a query in Rust, and rdflib's regular expressions run in C's ``re`` engine:
neither gives Python its turn back, so no thread, timer or signal handler of the process running
them can stop them. A forked child can be stopped. The parent waits for the child's answer with a
timeout (so it sees Ctrl-C at once, as a KeyboardInterrupt), kills the child at the deadline or on
Ctrl-C, SIGTERM or SIGHUP, and reads how it ended. The child's data segment is capped
(``RLIMIT_DATA``: the memory allowed above what it inherited), so a query that grows without end
fails an allocation and ends (Rust aborts, Python raises MemoryError) instead of taking the
machine; its CPU time is capped too (``RLIMIT_CPU``, twice the time left and 5 s), so that a child
whose parent was killed outright (SIGKILL, which nothing can catch) ends soon after all the same.
(``prctl(PR_SET_PDEATHSIG)`` would end it at once, but reaching it through ctypes costs 4 ms a
query.)

``os.fork`` straight away, with a pipe: no multiprocessing (its import alone costs more than the
fork, about 5 ms). The child inherits the open store (a read-only RocksDB whose idle background
threads hold no lock), the compiled graph and the query, ignores SIGINT (the parent decides), and
sends back bytes: Oxigraph's own serialisation of the answer (SPARQL TSV results, N-Triples),
parsed again here, or the exception it raised, pickled. Where ``os.fork`` is missing (Windows),
the query runs in-process, unbounded.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any, Final

from edugraph.errors import EdugraphError, EngineError

DEFAULT_SECONDS: Final = 300.0
"""``--timeout``'s default: the seconds all the queries of one command may take together."""
MAX_SECONDS: Final = 86_400.0
"""The longest ``--timeout`` (a day)."""
DEFAULT_MEMORY_MB: Final = 2048
"""``--max-memory``'s default: the MB one query may take beyond what edugraph already holds."""
MAX_MEMORY_MB: Final = 1_048_576

_ERR_KEPT = 4096  # bytes of the child's stderr kept, to tell a failed allocation from a crash
_OK, _RAISED = b"+", b"-"  # the first byte of the child's answer
_NO_MEMORY = 71  # the child's exit status when Python ran out of memory
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Signals that end edugraph; a child running then is killed first."""


class Limits:
    """How long the queries of one command may run together, and how much memory each may take
    beyond what the process holds; ``what`` names them in messages (``the query``)."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, memory_mb: int = DEFAULT_MEMORY_MB,
                 what: str = "the query") -> None:
        self.seconds, self.memory_mb, self.what = seconds, memory_mb, what
        self._ends: float | None = None

    def remaining(self) -> float:
        """Seconds left; the clock starts at the first query."""
        now = time.monotonic()
        if self._ends is None:
            self._ends = now + self.seconds
        return self._ends - now

    def too_long(self) -> EngineError:
        return EngineError(f"{self.what} ran longer than {self.seconds:g} s and was stopped",
                           hint="raise --timeout or narrow the query")

    def too_big(self) -> EngineError:
        return EngineError(f"{self.what} needed more than {self.memory_mb} MB of memory and was "
                           "stopped", hint="raise --max-memory or narrow the query")


def isolated(work: Callable[[], bytes], limits: Limits | None) -> bytes:
    """What ``work`` returns, run in a child process within ``limits`` (in this process when
    None); the exception it raised is raised here. An EngineError when the time or the memory
    runs out or the engine crashes; Ctrl-C (KeyboardInterrupt), SIGTERM and SIGHUP (SystemExit)
    kill the child at once and go on up."""
    if limits is None or not hasattr(os, "fork"):
        return work()
    left = limits.remaining()
    if left <= 0:
        raise limits.too_long()
    import resource  # noqa: F401 - imported before the fork, so that the child imports nothing

    # The handlers first, and everything after the fork inside the try: a signal at any moment
    # leaves no child running.
    previous = _handle(dict.fromkeys(_ENDING, _terminated))
    pid, status, reading = 0, None, []
    try:
        out_r, out_w = os.pipe()
        reading.append(out_r)
        err_r, err_w = os.pipe()
        reading.append(err_r)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(work, limits.memory_mb, left, (out_w, err_w), (out_r, err_r))
        os.close(out_w)
        os.close(err_w)
        answer, errors = _collect(out_r, err_r, limits, left)
        status = os.waitpid(pid, 0)[1]
    finally:
        for fd in reading:
            os.close(fd)
        if pid and status is None:  # the deadline, too much output, Ctrl-C, SIGTERM: stop it
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        _handle(previous)
    return _outcome(answer, errors, status, limits)


def _outcome(answer: bytes, errors: bytes, status: int, limits: Limits) -> bytes:
    """The child's answer, or the exception its end means."""
    exited = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    if answer[:1] == _OK and exited == 0:
        return answer[1:]
    if answer[:1] == _RAISED:
        import pickle

        raise pickle.loads(answer[1:])
    if b"memory allocation of" in errors or exited == _NO_MEMORY:  # Rust's words, then its abort
        raise limits.too_big()
    killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if killed in (signal.SIGXCPU, signal.SIGKILL):  # its CPU time ran out, or the OOM killer
        raise limits.too_long() if killed == signal.SIGXCPU else limits.too_big()
    how = f"signal {signal.Signals(killed).name}" if killed is not None else f"exit status {exited}"
    raise EngineError(f"the query engine crashed on {limits.what} ({how})",
                      hint="simplify the query (fewer nested groups, shorter paths)")


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP while a child runs: unwind (killing the child), then end as a shell
    reports a process that signal ended."""
    raise SystemExit(128 + signum)


def _handle(handlers: dict[int, Any]) -> dict[int, Any]:
    """Install signal handlers; the ones they replace. Nothing off the main thread, whose
    signals are its program's own."""
    previous: dict[int, Any] = {}
    try:
        for which, handler in handlers.items():
            previous[which] = signal.signal(which, handler)
    except ValueError:  # not the main thread
        pass
    return previous


def _collect(out_r: int, err_r: int, limits: Limits, left: float) -> tuple[bytes, bytes]:
    """The child's answer and the start of its stderr, read until both pipes close; an
    EngineError past the deadline or when the answer is larger than the memory allowed."""
    import select

    ends = time.monotonic() + left
    cap = limits.memory_mb * 2**20
    poller = select.poll()
    chunks = {out_r: bytearray(), err_r: bytearray()}
    for fd in chunks:
        poller.register(fd, select.POLLIN)
    pending = set(chunks)
    while pending:
        wait = ends - time.monotonic()
        if wait <= 0:
            raise limits.too_long()
        for fd, _ in poller.poll(min(int(wait * 1000) + 1, 1000)):
            data = os.read(fd, 1 << 20)
            if not data:
                poller.unregister(fd)
                pending.discard(fd)
            elif fd == out_r:
                chunks[fd] += data
                if len(chunks[fd]) > cap:
                    raise limits.too_big()
            elif len(chunks[fd]) < _ERR_KEPT:
                chunks[fd] += data[:_ERR_KEPT]
    return bytes(chunks[out_r]), bytes(chunks[err_r])


def _child(work: Callable[[], bytes], memory_mb: int, seconds: float, writes: tuple[int, int],
           parents: tuple[int, int]) -> None:
    """Run ``work`` within the limits and write its answer; then end, whatever happens
    (``os._exit``: nothing of the parent's, no buffer, no atexit hook, runs twice)."""
    out_w, err_w = writes
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the parent acts
        for which in _ENDING:
            signal.signal(which, signal.SIG_DFL)
        for fd in parents:
            os.close(fd)
        os.dup2(err_w, 2)  # Rust's "memory allocation of N bytes failed" goes to the parent
        _cap(memory_mb, seconds)
        try:
            answer = work()
        except MemoryError:
            code = _NO_MEMORY
        except BaseException as exc:  # noqa: BLE001 - every failure is the parent's to raise
            _write(out_w, _RAISED + _pickled(exc))
        else:
            _write(out_w, _OK)
            _write(out_w, answer)
    except MemoryError:
        code = _NO_MEMORY
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's code
        code = 70
    finally:
        os._exit(code)


def _cap(memory_mb: int, seconds: float) -> None:
    """Limit this process's data segment to ``memory_mb`` above its present size, and its CPU
    time to twice ``seconds`` and 5 s (SIGXCPU, then SIGKILL 5 s later): it ends past the
    deadline whatever becomes of the parent."""
    import resource

    data = _data_size() + memory_mb * 2**20
    cpu = int(seconds * 2) + 5
    for which, soft, hard in ((resource.RLIMIT_DATA, data, data), (resource.RLIMIT_CPU, cpu, cpu + 5)):
        _, ceiling = resource.getrlimit(which)
        if ceiling != resource.RLIM_INFINITY:  # never above what this process may have
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(which, (soft, hard))


def _data_size() -> int:
    """This process's data segment (VmData) in bytes; 0 where /proc does not say."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _pickled(exc: BaseException) -> bytes:
    """``exc`` pickled, edugraph's errors with their place and hint (their ``__init__`` takes
    keywords, which an exception's default pickling does not pass)."""
    import io
    import pickle

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, EdugraphError):
                return _rebuilt, (type(obj), obj.args, dict(obj.__dict__))
            return NotImplemented

    out = io.BytesIO()
    try:
        Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its words
        out = io.BytesIO()
        pickle.dump(RuntimeError(f"{type(exc).__name__}: {exc}"), out)
    return out.getvalue()


def _rebuilt(cls: type[EdugraphError], args: tuple[Any, ...], state: dict[str, Any]) -> EdugraphError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
