"""A Docker engine that can run kind's privileged node containers.

Use the running engine if there is one; otherwise install Debian's docker.io and start dockerd. Privileged
containers ask for every capability the engine knows; where the host's bounding set lacks some (this project's CI
VMs lack CAP_SYS_RESOURCE), runc refuses to start them. Then the engine gets a runc wrapper as its default runtime,
which removes only the missing capabilities from each OCI spec. On a normal host nothing is changed.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .apt import ensure_command
from .cache import cache_dir
from .errors import BootstrapError
from .progress import say
from .waiting import WaitTimeout, wait_for

STEP = "docker engine"
WRAPPER_RUNTIME = "voiceplat-runc"
# Capabilities Docker 20.10+ grants a privileged container (0 .. CAP_CHECKPOINT_RESTORE).
PRIVILEGED_CAPS = range(0, 41)


def missing_capabilities() -> list[int]:
    """Capability numbers a privileged container requests but the host's bounding set lacks."""
    status = Path("/proc/self/status").read_text()
    bounding = int(next(line.split()[1] for line in status.splitlines() if line.startswith("CapBnd:")), 16)
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    return [cap for cap in PRIVILEGED_CAPS if cap <= last and not bounding >> cap & 1]


def engine_answers() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0 if shutil.which("docker") else False


def runtimes() -> dict:
    out = subprocess.run(
        ["docker", "info", "--format", "{{json .Runtimes}} {{.DefaultRuntime}}"], capture_output=True, text=True
    ).stdout.split()
    return {"runtimes": json.loads(out[0]) if out else {}, "default": out[1] if len(out) > 1 else ""}


# Every kind node runs systemd, the kubelet and containerd, each holding inotify instances of the host's user
# namespace. The kernel's default of 128 instances holds one 3-node cluster, not the two that run side by side when
# the e2e suite runs beside `make up`'s cluster (kind's known issue "Pod errors due to too many open files").
# kind's documented values:
INOTIFY_LIMITS = {"fs.inotify.max_user_instances": 512, "fs.inotify.max_user_watches": 524288}


def raise_inotify_limits(root: Path = Path("/proc/sys")) -> None:
    """Raises each limit of INOTIFY_LIMITS that is lower on this host; a higher one is left as it is."""
    for key, wanted in INOTIFY_LIMITS.items():
        path = root / key.replace(".", "/")
        if int(path.read_text()) >= wanted:
            continue
        try:
            path.write_text(str(wanted))
        except OSError as error:
            raise BootstrapError(
                STEP,
                f"{key} is {path.read_text().strip()}, below the {wanted} two kind clusters "
                f"side by side need, and cannot be raised here ({error})",
                f"run `sysctl -w {key}={wanted}` as root",
            ) from error
        say(f"{key} raised to {wanted} (kind nodes hold inotify instances of the host)")


def ensure_engine() -> None:
    raise_inotify_limits()
    missing = missing_capabilities()
    if not engine_answers():
        install_engine()  # on hosts with systemd, the package may start an engine of its own
    if engine_answers():
        if missing and runtimes()["default"] != WRAPPER_RUNTIME:
            raise BootstrapError(
                STEP,
                f"the running Docker engine cannot start privileged containers: this host lacks "
                f"capabilities {missing} and the engine's default runtime is not the capability-filtering wrapper",
                "stop dockerd and run `make tools` again: it starts dockerd with the wrapper "
                "(see bootstrap/docker_engine.py)",
            )
        return
    start_dockerd(write_daemon_config(missing))


def install_engine() -> None:
    ensure_command("dockerd", "docker.io", STEP)


def write_daemon_config(missing: list[int]) -> Path:
    folder = cache_dir() / "docker"
    folder.mkdir(parents=True, exist_ok=True)
    config = {"log-driver": "json-file", "log-opts": {"max-size": "10m"}}
    if missing:
        wrapper = folder / "runc-capfilter"
        wrapper.write_text(
            WRAPPER_SOURCE.format(
                python=sys.base_exec_prefix + "/bin/python3",
                missing=sorted(missing),
                runc=shutil.which("runc") or "/usr/bin/runc",
            )
        )
        wrapper.chmod(0o755)
        config["runtimes"] = {WRAPPER_RUNTIME: {"path": str(wrapper)}}
        config["default-runtime"] = WRAPPER_RUNTIME
        say(f"host lacks capabilities {missing}: dockerd's default runtime filters them out ({wrapper})")
    path = folder / "daemon.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def start_dockerd(config: Path) -> None:
    log = cache_dir() / "docker" / "dockerd.log"
    say(f"starting dockerd (log: {log})")
    with open(log, "ab") as out:
        subprocess.Popen(
            ["dockerd", "--config-file", str(config)],
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: (engine_answers(), "`docker info` fails"), timeout=60, expected="dockerd answering", interval=0.5
        )
    except WaitTimeout as timeout:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-10:])
        raise BootstrapError(STEP, f"{timeout}\n{tail}", f"read {log}") from timeout


# The wrapper edits the OCI spec runc is about to apply: the bundle's config.json on create/run, the
# --process file on exec. It is Python so that it needs nothing beyond the interpreter that wrote it.
WRAPPER_SOURCE = '''#!{python}
"""runc wrapper written by voiceplat's bootstrap: drops capabilities this host cannot grant ({missing})."""
import json, os, sys

NUMBERS = {missing}
NAMES = ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
         "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
         "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
         "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
         "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
         "CHECKPOINT_RESTORE"]
DROP = {{"CAP_" + NAMES[n] for n in NUMBERS}}


def strip(process):
    caps = process.get("capabilities") or {{}}
    for kind, names in caps.items():
        caps[kind] = [c for c in names if c not in DROP]


def edit(path, is_process):
    with open(path) as f:
        spec = json.load(f)
    strip(spec if is_process else spec.get("process", {{}}))
    with open(path, "w") as f:
        json.dump(spec, f)


args = sys.argv[1:]
for i, arg in enumerate(args):
    if arg in ("create", "run"):
        bundle = "."
        for j, a in enumerate(args):
            if a in ("--bundle", "-b") and j + 1 < len(args):
                bundle = args[j + 1]
            elif a.startswith("--bundle="):
                bundle = a.split("=", 1)[1]
        edit(os.path.join(bundle, "config.json"), False)
        break
    if arg == "exec":
        for j, a in enumerate(args):
            if a in ("--process", "-p") and j + 1 < len(args):
                edit(args[j + 1], True)
            elif a.startswith("--process="):
                edit(a.split("=", 1)[1], True)
        break
os.execv("{runc}", ["{runc}"] + args)
'''
