"""Progress lines for long steps: what is being done, how far along, how long it took."""

import contextlib
import dataclasses
import subprocess
import sys
import threading
import time

from .errors import BootstrapError

# Durations of the steps this process ran, for the record `make tools` keeps (bench: cold vs warm builds).
TIMINGS: list[tuple[str, float]] = []


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def step(name: str, counter: str = ""):
    """Times a step and prints its start and end; `counter` is e.g. '3/9'."""
    prefix = f"[{counter}] " if counter else ""
    say(f"{prefix}{name} ...")
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    TIMINGS.append((name, round(took, 1)))
    say(f"{prefix}{name}: done in {took:.1f}s")


HEARTBEAT_SECONDS = 15  # a long step says how far along it is at least this often, on a terminal and in CI logs
READ_AFTER_KILL_S = 5  # how long the output of a command stopped at its timeout is still read


@dataclasses.dataclass
class Output:
    """What a running command has printed so far (both streams), for its heartbeat and its error message."""

    stdout: list = dataclasses.field(default_factory=list)
    stderr: list = dataclasses.field(default_factory=list)
    counted: int = 0  # lines that each mark one unit of progress (e.g. a package compiled)
    last: str = ""

    def reader(self, stream, into: list, counts: bool, on_line=None):
        def read():
            for line in stream:
                into.append(line)
                said = on_line(line) if on_line else None
                if line.strip():
                    self.last = (said if isinstance(said, str) else line).strip()
                    self.counted += counts

        return threading.Thread(target=read, daemon=True)


@dataclasses.dataclass(frozen=True)
class Finished:
    """A command that ended (or was stopped at its timeout): its exit code, what it printed, how long it took."""

    command: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    def tail(self, lines: int = 15) -> str:
        """The last lines it printed (its error output first), for an error message."""
        return "\n".join((self.stderr + self.stdout).strip().splitlines()[-lines:])

    def failure(self, lines: int = 15) -> str:
        """`<command>` exited N (or did not end within its timeout), with the last lines it printed."""
        tail = self.tail(lines)
        ended = "was stopped at its timeout" if self.timed_out else f"exited {self.code}"
        return f"`{' '.join(self.command)}` {ended}" + (f":\n{tail}" if tail else "")


def run(
    cmd,
    *,
    step_name: str,
    fix: str = "",
    env=None,
    cwd=None,
    capture: bool = False,
    input=None,
    unit: str = "lines of output",
    total: int | None = None,
    counted_stream: str = "stderr",
    quiet: bool = False,
):
    """Runs a command; on failure raises BootstrapError with the step, the command and its last output lines.

    While it runs, a heartbeat every HEARTBEAT_SECONDS says how long it has taken and how far along it is: the
    lines of `counted_stream` are the units (packages compiled with `go build -v`), out of `total` when known,
    and the last line says what it is doing now. `quiet` (work in the background of another step) has none.
    Without `capture` the command prints to this process's streams, and the heartbeat gives the time alone."""
    done = _run(
        cmd,
        step_name=step_name,
        fix=fix,
        env=env,
        cwd=cwd,
        capture=capture,
        input=input,
        unit=unit,
        total=total,
        counted_stream=counted_stream,
        quiet=quiet,
    )
    if done.code != 0:
        raise BootstrapError(step_name, done.failure(), fix)
    return done.stdout if capture else None


def execute(
    cmd,
    *,
    step_name: str,
    env=None,
    cwd=None,
    input=None,
    merge: bool = False,
    on_line=None,
    timeout: float | None = None,
    unit: str = "lines of output",
    total: int | None = None,
    counted_stream: str = "stderr",
    quiet: bool = False,
) -> Finished:
    """Runs a command to its end, as `run` does (the heartbeat, the units), and returns how it ended instead of
    raising: for callers whose verdict is more than the exit code (OpenTofu's plan, a check's report).

    `merge` reads its error output as part of its output (one stream, in order); `on_line` gets each line of the
    output as it comes (and may return the text the heartbeat shows for it); `timeout` stops it after that many
    seconds (`timed_out`). Raises BootstrapError only when the command cannot be started."""
    return _run(
        cmd,
        step_name=step_name,
        env=env,
        cwd=cwd,
        capture=True,
        input=input,
        merge=merge,
        on_line=on_line,
        timeout=timeout,
        unit=unit,
        total=total,
        counted_stream=counted_stream,
        quiet=quiet,
    )


def _run(
    cmd,
    *,
    step_name: str,
    fix: str = "",
    env=None,
    cwd=None,
    capture: bool,
    input=None,
    merge: bool = False,
    on_line=None,
    timeout: float | None = None,
    unit: str,
    total: int | None,
    counted_stream: str,
    quiet: bool,
) -> Finished:
    command = tuple(str(c) for c in cmd)
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            text=True,
            stdin=subprocess.PIPE if input else None,
            stdout=subprocess.PIPE if capture else None,
            stderr=(subprocess.STDOUT if merge else subprocess.PIPE) if capture else None,
        )
    except FileNotFoundError as missing:
        raise BootstrapError(step_name, f"command not found: {cmd[0]}", fix or "run `make tools`") from missing
    output, done = Output(), threading.Event()
    readers = [output.reader(process.stdout, output.stdout, counted_stream == "stdout" or merge, on_line)]
    if not merge:
        readers.append(output.reader(process.stderr, output.stderr, counted_stream == "stderr"))
    readers = readers if capture else []
    heartbeat = threading.Thread(
        target=_beat, args=(step_name, started, output, done, unit, total, capture), daemon=True
    )
    for thread in (*readers, *([] if quiet else [heartbeat])):
        thread.start()
    if input:
        process.stdin.write(input)
        process.stdin.close()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.kill()
        process.wait()
    # A killed command's own children may hold its output open: what they print after it is not waited for.
    read_until = time.monotonic() + READ_AFTER_KILL_S
    for thread in readers:
        thread.join(timeout=max(0.0, read_until - time.monotonic()) if timed_out else None)
    done.set()
    return Finished(
        command,
        process.returncode,
        "".join(output.stdout),
        "".join(output.stderr),
        time.monotonic() - started,
        timed_out,
    )


def _beat(step_name: str, started: float, output: Output, done: threading.Event, unit: str, total, capture: bool):
    while not done.wait(HEARTBEAT_SECONDS):
        elapsed = f"{time.monotonic() - started:.0f}s"
        if not capture:
            say(f"    {step_name}: {elapsed}")
            continue
        count = f"{output.counted}/{total}" if total else f"{output.counted}"
        say(f"    {step_name}: {elapsed}, {count} {unit}" + (f"; now: {output.last[:100]}" if output.last else ""))
