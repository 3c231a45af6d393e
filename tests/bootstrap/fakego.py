"""A stand-in for `go` in build tests: records its calls and writes the binaries `go build -o` would."""

import os
from pathlib import Path

from contract import settings


def fake_go(tmp_path: Path, monkeypatch) -> Path:
    """`go` that records each call and, for `build -o <dir>/`, writes a binary per package's last element."""
    calls = tmp_path / "calls"
    script = tmp_path / "bin" / "go"
    script.parent.mkdir()
    script.write_text(f"""#!/bin/sh
echo "$@" >> {calls}
if [ "$1" = list ]; then echo std/a; echo std/b; echo k8s.io/kubernetes/cmd/kubeadm; exit 0; fi
if [ "$1" = build ]; then
  while [ "$1" != -o ]; do shift; done; out=$2; shift 2
  for package in "$@"; do echo "$package" >&2; touch "$out$(basename "$package")"; done
fi
""")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path / "cache"))
    return calls
