"""Load-test environments are data files: they load, agree with the platform's environments, and
malformed ones fail naming the key and the fix."""

from urllib.parse import urlsplit

import pytest

from loadtests import targets
from stacks.environments import ENVIRONMENTS, Cloud

# The kind cluster is reached through its NodePort on loopback, not through its ingress domain.
CLOUD_ENVIRONMENTS = [
    name for name in targets.known() if name in ENVIRONMENTS and ENVIRONMENTS[name].cloud is not Cloud.LOCAL
]


@pytest.mark.parametrize("name", targets.known())
def test_every_environment_file_loads_with_a_host_per_scenario(name):
    target = targets.load(name)
    assert all(path.is_file() for path in target.scenario_files())
    assert set(target.scenarios) <= set(target.hosts) <= set(target.cluster_hosts)


def test_the_release_gate_covers_every_public_surface():
    assert set(targets.load("preview-eu").scenarios) == {"rest", "graphql", "voice", "tts", "stt"}


@pytest.mark.parametrize("name", CLOUD_ENVIRONMENTS)
def test_public_hosts_live_under_the_platform_environments_ingress_domain(name):
    domain = ENVIRONMENTS[name].ingress.domain
    for surface, url in targets.load(name).hosts.items():
        assert urlsplit(url).hostname.endswith(domain), f"{name} {surface}: {url} is outside {domain}"


def test_an_unknown_environment_lists_the_known_ones():
    with pytest.raises(
        targets.TargetError, match=r"no load-test environment 'preview-us'.*pick one of local, loopback"
    ):
        targets.load("preview-us")


def valid(**changes):
    data = {"scenarios": ["standin"], "hosts": {"standin": "http://127.0.0.1:1"}, "slos": {"default": {"p95_ms": 1}}}
    return {**data, **changes}


@pytest.mark.parametrize(
    "data, message",
    [
        (valid(host={}), "unknown key(s) host; the known keys are"),
        (valid(scenarios=[]), "list the scenarios to run"),
        (valid(scenarios=["soap"]), "scenario 'soap' has no loadtests/scenarios/soap.py"),
        (valid(hosts={}), "[hosts] lacks a base URL for standin"),
        (valid(users_scale=0), "users_scale = 0; write a positive number"),
        (valid(slos={"default": {"p95": 1}}), "[slos.default]: unknown key(s) p95"),
    ],
)
def test_malformed_environment_data_names_the_problem(data, message):
    with pytest.raises(targets.TargetError) as error:
        targets._from_data("x", data, where="loadtests/environments/x.toml")
    assert message in str(error.value) and "x.toml" in str(error.value)


def test_cluster_hosts_override_hosts_only_where_given():
    target = targets._from_data("x", valid(cluster_hosts={"standin": "http://svc:8080"}), where="x")
    assert target.hosts["standin"] == "http://127.0.0.1:1" and target.cluster_hosts["standin"] == "http://svc:8080"


def test_no_environment_at_all_says_how_to_name_one():
    with pytest.raises(targets.TargetError, match=r"no load-test environment given: name one of .*make loadtest ENV="):
        targets.load("")
