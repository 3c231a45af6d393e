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


@dataclasses.dataclass
class Output:
    """What a running command has printed so far (both streams), for its heartbeat and its error message."""
    stdout: list = dataclasses.field(default_factory=list)
    stderr: list = dataclasses.field(default_factory=list)
    counted: int = 0  # lines that each mark one unit of progress (e.g. a package compiled)
    last: str = ""

    def reader(self, stream, into: list, counts: bool):
        def read():
            for line in stream:
                into.append(line)
                if line.strip():
                    self.last = line.strip()
                    self.counted += counts
        return threading.Thread(target=read, daemon=True)


def run(cmd, *, step_name: str, fix: str = "", env=None, cwd=None, capture: bool = False, input=None,
        unit: str = "lines of output", total: int | None = None, counted_stream: str = "stderr", quiet: bool = False):
    """Runs a command; on failure raises BootstrapError with the step, the command and its last output lines.

    While it runs, a heartbeat every HEARTBEAT_SECONDS says how long it has taken and how far along it is: the
    lines of `counted_stream` are the units (packages compiled with `go build -v`), out of `total` when known,
    and the last line says what it is doing now. `quiet` (work in the background of another step) has none."""
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            [str(c) for c in cmd], env=env, cwd=cwd, text=True, stdin=subprocess.PIPE if input else None,
            stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None)
    except FileNotFoundError as missing:
        raise BootstrapError(step_name, f"command not found: {cmd[0]}", fix or "run `make tools`") from missing
    output, done = Output(), threading.Event()
    readers = [output.reader(process.stdout, output.stdout, counted_stream == "stdout"),
               output.reader(process.stderr, output.stderr, counted_stream == "stderr")] if capture else []
    heartbeat = threading.Thread(target=_beat, args=(step_name, started, output, done, unit, total, capture),
                                 daemon=True)
    for thread in (*readers, *([] if quiet else [heartbeat])):
        thread.start()
    if input:
        process.stdin.write(input)
        process.stdin.close()
    process.wait()
    for thread in readers:
        thread.join()
    done.set()
    stdout, stderr = "".join(output.stdout), "".join(output.stderr)
    if process.returncode != 0:
        tail = "\n".join((stderr + stdout).strip().splitlines()[-15:])
        raise BootstrapError(
            step_name, f"`{' '.join(map(str, cmd))}` exited {process.returncode}" + (f":\n{tail}" if tail else ""), fix)
    return stdout if capture else None


def _beat(step_name: str, started: float, output: Output, done: threading.Event, unit: str, total, capture: bool):
    while not done.wait(HEARTBEAT_SECONDS):
        elapsed = f"{time.monotonic() - started:.0f}s"
        if not capture:
            say(f"    {step_name}: {elapsed}")
            continue
        count = f"{output.counted}/{total}" if total else f"{output.counted}"
        say(f"    {step_name}: {elapsed}, {count} {unit}" + (f"; now: {output.last[:100]}" if output.last else ""))
