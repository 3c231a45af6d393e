"""Which capabilities the host lacks is read from the bounding set, and nothing is missing on a full set."""

from bootstrap import docker_engine


def fake_proc(monkeypatch, tmp_path, bounding: str, last_cap: int):
    status, last = tmp_path / "status", tmp_path / "cap_last_cap"
    status.write_text(f"Name:\tx\nCapBnd:\t{bounding}\n")
    last.write_text(f"{last_cap}\n")
    real = docker_engine.Path
    monkeypatch.setattr(
        docker_engine,
        "Path",
        lambda p: {"/proc/self/status": status, "/proc/sys/kernel/cap_last_cap": last}.get(p, real(p)),
    )


def test_a_host_without_cap_sys_resource_is_detected(monkeypatch, tmp_path):
    fake_proc(monkeypatch, tmp_path, "000001fffeffffff", 40)
    assert docker_engine.missing_capabilities() == [24]


def test_a_normal_host_lacks_nothing(monkeypatch, tmp_path):
    fake_proc(monkeypatch, tmp_path, "000001ffffffffff", 40)
    assert docker_engine.missing_capabilities() == []


def test_capabilities_the_kernel_does_not_know_are_not_missing(monkeypatch, tmp_path):
    fake_proc(monkeypatch, tmp_path, "0000003fffffffff", 37)
    assert docker_engine.missing_capabilities() == []
