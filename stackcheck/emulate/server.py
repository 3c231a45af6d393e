"""The emulator: moto server (`make moto` installs it, pinned, into its own virtualenv) on a free local port."""

import os
import ssl
import subprocess
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from pathlib import Path

from bootstrap.ports import free_port
from bootstrap.waiting import ProcessExited, WaitTimeout, wait_serving

READY_S = 60


class EmulatorMissing(RuntimeError):
    pass


def _insecure() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # its certificate is made at start
    return context


def answers(endpoint: str) -> tuple[bool, str]:
    """(whether moto's own API answers 200, what it answered): a wait_for condition (not up yet raises)."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", context=_insecure(), timeout=2) as response:
        return response.status == 200, f"/moto-api/data.json answered {response.status}"


def account_keys(endpoint: str, account: str) -> tuple[str, str]:
    """Access keys of a new IAM user in the emulated account `account` (12 digits): moto serves each request from
    the account its keys belong to, so a stack applied with them lives in that account alone."""

    def call(**form) -> ElementTree.Element:
        request = urllib.request.Request(
            endpoint,
            data=urllib.parse.urlencode({**form, "Version": "2010-05-08"}).encode(),
            headers={
                "x-moto-account-id": account,
                "Authorization": "AWS4-HMAC-SHA256 Credential=emulated/20260101/us-east-1/iam/aws4_request",
            },
        )
        with urllib.request.urlopen(request, context=_insecure(), timeout=10) as response:
            return ElementTree.fromstring(response.read())

    call(Action="CreateUser", UserName="deployer")
    answer = call(Action="CreateAccessKey", UserName="deployer")
    found = {element.tag.split("}")[-1]: element.text for element in answer.iter()}
    return found["AccessKeyId"], found["SecretAccessKey"]


@contextmanager
def moto_server(binary: Path, log: Path):
    """Yields the HTTPS endpoint of a moto server that knows AWS's managed IAM policies (so an attachment of a
    misspelt one fails as on AWS); stopped on leaving."""
    if not binary.exists():
        raise EmulatorMissing(f"moto server is not installed ({binary} is missing). Fix: `make moto`")
    port = free_port()
    endpoint = f"https://localhost:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(binary), "-H", "127.0.0.1", "-p", str(port), "-s"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
        )
    try:
        try:
            wait_serving(
                [process], lambda: answers(endpoint), timeout=READY_S, expected=f"moto server answering at {endpoint}"
            )
        except (ProcessExited, WaitTimeout) as error:
            raise EmulatorMissing(f"{error}; its log: {log}") from None
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)
