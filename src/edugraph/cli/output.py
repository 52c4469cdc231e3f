"""How commands show things: rich tables and progress bars for people at a terminal, plain and
stable text in a pipe; query results in every format. (A runaway query is stopped where it runs,
in a child process: :mod:`edugraph.query.run`.)

rich is imported only when something is drawn, so a command that prints CSV never loads it.
"""

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def is_terminal() -> bool:
    """Rich output for people at a terminal; plain, stable lines when piped."""
    return sys.stdout.isatty()


def terminal(**options: Any) -> Any:
    """A rich Console on stdout (``options`` as rich takes them) that meets a closed pipe with
    BrokenPipeError, which ends the command with exit 141 (:func:`edugraph.cli.app.reader_left`);
    rich's own way is to exit 1, the code of data that does not conform."""
    from rich.console import Console

    class Piped(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return Piped(**options)


NARROWEST: Final = 8
"""The least width of a column of text beside one-word cells at a narrow terminal."""


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A rich table; as wide as it needs, so piped output never folds a cell.

    At a terminal a cell of one word (an id, a CURIE, a date, a number) is never broken over lines:
    the text of the other cells wraps instead, and when even that leaves too little room the
    table is drawn wider than the terminal (which folds whole lines; the id stays whole to copy).
    """
    from rich.table import Table

    cells = [[str(c) for c in row] for row in rows]
    console = terminal(highlight=False, markup=False, soft_wrap=not is_terminal())
    widths = column_widths(header, cells, console.width - 3 * len(header) - 1) if is_terminal() else None
    drawn = Table()
    for i, name in enumerate(header):
        drawn.add_column(name, overflow="fold", width=widths[i] if widths else None)
    for row in cells:
        drawn.add_row(*row)
    if widths is not None:
        console.width = max(console.width, sum(widths) + 3 * len(header) + 1)
    elif not is_terminal():  # rich assumes 80 columns in a pipe; never fold a cell there
        console.width = max(80, console.measure(drawn, options=console.options.update_width(10_000)).maximum)
    console.print(drawn)


def column_widths(header: Sequence[str], cells: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Widths of the columns' text that keep every one-word cell whole in ``room`` characters
    (more when they need more), or None when every cell fits on one line as it is.

    From each column's longest cell, the widest column is narrowed a character at a time: first
    down to no less than its longest word, then, when that is not enough, to no less than its
    longest one-word cell (or NARROWEST).
    """
    from rich.cells import cell_len

    longest, whole, words = [], [], []
    for i, name in enumerate(header):
        column = [name, *(row[i] for row in cells)]
        longest.append(max(cell_len(c) for c in column))
        one_word = max((cell_len(c) for c in column if not any(ch.isspace() for ch in c)), default=0)
        whole.append(max(one_word, min(longest[-1], NARROWEST)))
        words.append(max(whole[-1], *(cell_len(w) for c in column for w in c.split())))
    if sum(longest) <= room:
        return None
    widths = list(longest)
    for floor in (words, whole):
        while sum(widths) > room:
            narrower = [i for i, w in enumerate(widths) if w > floor[i]]
            if not narrower:
                break
            widths[max(narrower, key=lambda i: (widths[i], -i))] -= 1
    return widths


@contextmanager
def progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar per stage on a terminal (on stderr); nothing when piped or --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, Any] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        def report(stage: str, done: int, total: int) -> None:
            for other, task in tasks.items():
                if other != stage:
                    bar.update(task, completed=bar.tasks[task].total)
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done)

        yield report


class StageClock:
    """How long each stage of a run took, told by the progress the stages report: a stage runs
    from the end of the one before it (the clock's start for the first) to its last report."""

    def __init__(self, report: Callable[[str, int, int], None] | None) -> None:
        self.report = report
        self.start = time.perf_counter()
        self.ends: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.ends[stage] = time.perf_counter()
        if self.report is not None:
            self.report(stage, done, total)

    def line(self) -> str:
        """``timings: load 4.52 s, resolve 0.61 s, ..., rest 0.20 s, total 21.3 s``."""
        now, before, parts = time.perf_counter(), self.start, []
        for stage, end in self.ends.items():
            parts.append(f"{stage} {end - before:.2f} s")
            before = end
        parts.append(f"rest {now - before:.2f} s")
        return f"timings: {', '.join(parts)}, total {now - self.start:.2f} s"


def password_prompt() -> Callable[[str], str] | None:
    """A prompt for an endpoint's password when a person is at the terminal, else None."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass


def show_result(result: Any, format: str, labels: Callable[[Iterable[str]], dict[str, str]] | None) -> int:
    """A query result on stdout in ``format``; the exit code it means (1 for an ASK answering
    false, else 0)."""
    from edugraph.query import results

    if result.form in ("CONSTRUCT", "DESCRIBE"):
        sys.stdout.write(results.to_turtle(result))
        return 0
    if result.form == "ASK" and format != "json":
        sys.stdout.write("true\n" if result.boolean else "false\n")
    elif format == "table":
        found = labels(results.iris(result)) if labels is not None else {}
        table(result.variables, results.table_rows(result, found.get))
    else:
        found = labels(results.iris(result)) if labels is not None and format == "md" else {}
        sys.stdout.write(results.render(result, format, found.get))
    return result.exit_code
