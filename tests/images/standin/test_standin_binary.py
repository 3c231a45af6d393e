"""The stand-in as the image and the loopback benchmark use it: a static binary, configured by its
environment, that stops cleanly on SIGTERM; and the Dockerfile that packs it."""

import json
import struct
from pathlib import Path

import pytest

from loadtests.local_standin import StandinProcess, standin_binary

DOCKERFILE = Path(__file__).resolve().parents[3] / "images" / "standin" / "Dockerfile"
PT_INTERP = 3  # an ELF program header naming a dynamic loader


@pytest.fixture(scope="module")
def binary():
    return standin_binary()


def program_header_types(path: Path) -> list[int]:
    data = path.read_bytes()
    assert data[:5] == b"\x7fELF\x02", f"{path} is not a 64-bit ELF file"
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    return [struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)]


def test_the_binary_is_static_so_it_runs_from_scratch(binary):
    types = program_header_types(binary)
    assert types and PT_INTERP not in types


def test_it_serves_on_the_port_and_under_the_service_name_from_its_environment(binary):
    with StandinProcess(binary, service_name="tts") as standin:
        code, body = standin.get("/")
    assert code == 200 and json.loads(body)["service"] == "tts"


def test_sigterm_stops_it_cleanly_with_exit_code_zero(binary):
    with StandinProcess(binary) as standin:
        code, output = standin.stop()
    assert code == 0 and "stopped cleanly" in output, output


def test_the_image_is_the_binary_alone_running_as_uid_65532():
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert lines[0] == "FROM scratch"
    assert "COPY standin /standin" in lines  # the binary at the build context's root, as make tools gives it
    assert "USER 65532:65532" in lines
    assert lines[-1] == 'ENTRYPOINT ["/standin"]'
