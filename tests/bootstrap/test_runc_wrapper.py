"""The runc wrapper removes exactly the capabilities the host lacks, on create/run and on exec."""

import json
import subprocess
import sys

from bootstrap.docker_engine import WRAPPER_SOURCE

CAPS = ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_SYS_RESOURCE", "CAP_NET_ADMIN"]


def make_wrapper(tmp_path, missing):
    fake_runc = tmp_path / "runc"
    fake_runc.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\n')
    fake_runc.chmod(0o755)
    wrapper = tmp_path / "wrapper"
    wrapper.write_text(WRAPPER_SOURCE.format(python=sys.executable, missing=missing, runc=fake_runc))
    wrapper.chmod(0o755)
    return wrapper


def caps_spec():
    return {kind: list(CAPS) for kind in ("bounding", "effective", "permitted", "inheritable", "ambient")}


def test_create_drops_only_the_missing_capability_from_the_bundle_spec(tmp_path):
    wrapper = make_wrapper(tmp_path, [24])
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "config.json").write_text(json.dumps({"process": {"capabilities": caps_spec()}}))
    subprocess.run([wrapper, "--root", "/run/x", "create", "--bundle", bundle, "ctr-id"], check=True)
    caps = json.loads((bundle / "config.json").read_text())["process"]["capabilities"]
    assert all(names == ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"] for names in caps.values())
    assert (tmp_path / "args").read_text().split()[:3] == ["--root", "/run/x", "create"]


def test_exec_drops_the_missing_capability_from_the_process_file(tmp_path):
    wrapper = make_wrapper(tmp_path, [24])
    process = tmp_path / "process.json"
    process.write_text(json.dumps({"capabilities": caps_spec(), "args": ["sh"]}))
    subprocess.run([wrapper, "exec", "--process", process, "ctr-id"], check=True)
    spec = json.loads(process.read_text())
    assert "CAP_SYS_RESOURCE" not in spec["capabilities"]["bounding"] and spec["args"] == ["sh"]


def test_other_commands_pass_through_untouched(tmp_path):
    wrapper = make_wrapper(tmp_path, [24])
    subprocess.run([wrapper, "state", "ctr-id"], check=True)
    assert (tmp_path / "args").read_text().split() == ["state", "ctr-id"]
