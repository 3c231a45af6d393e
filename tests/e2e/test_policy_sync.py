"""The NetworkPolicy claims' bound is read from the policy controller the cluster bootstrap installs: two of its
periodic syncs (e2e/fixtures/podhttp.py), never a constant of the suite's own."""

import string
from pathlib import Path
from types import SimpleNamespace

import yaml

from bootstrap.cluster import NETPOL_DAEMONSET, NETPOL_SYNC_PERIOD
from e2e.fixtures.podhttp import policy_sync_seconds
from e2e.fixtures.scaling import seconds

MANIFEST = Path(__file__).resolve().parents[2] / "bootstrap/manifests/netpol.yaml"


def installed_daemonset() -> dict:
    text = string.Template(MANIFEST.read_text()).substitute(
        NETPOL_IMAGE="voiceplat/netpol:test", SERVICE_SUBNET="10.96.0.0/16", SYNC_PERIOD=NETPOL_SYNC_PERIOD
    )
    return next(d for d in yaml.safe_load_all(text) if d["kind"] == "DaemonSet")


class Apps:
    """What policy_sync_seconds reads of the API: the DaemonSet's container args."""

    def __init__(self, args: list[str]):
        self.args = args

    def read_namespaced_daemon_set(self, name: str, namespace: str):
        assert (name, namespace) == (NETPOL_DAEMONSET, "kube-system")
        container = SimpleNamespace(args=self.args)
        return SimpleNamespace(
            spec=SimpleNamespace(template=SimpleNamespace(spec=SimpleNamespace(containers=[container])))
        )


def test_the_bound_is_two_of_the_installed_controllers_sync_periods():
    args = installed_daemonset()["spec"]["template"]["spec"]["containers"][0]["args"]
    assert f"--iptables-sync-period={NETPOL_SYNC_PERIOD}" in args
    assert policy_sync_seconds(Apps(args)) == 2 * seconds(NETPOL_SYNC_PERIOD)


def test_a_controller_on_kube_routers_default_period_gets_the_default_bound():
    assert policy_sync_seconds(Apps(["--run-firewall=true"])) == 600
