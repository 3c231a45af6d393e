"""The upstream check's logic (stackcheck/upstream/) on a small chart of the project's own (demo-chart/): reading the
synthesized releases, finding a chart at its pinned version, unknown keys, rendering, and the server dry run."""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from contract import pins, tools
from stackcheck.upstream import __main__ as cli, check as check_module
from stackcheck.upstream.apiserver import binaries
from stackcheck.upstream.charts import find_local, prepared
from stackcheck.upstream.check import Sources, check_stack
from stackcheck.upstream.hcl import HclError, parse_expression
from stackcheck.upstream.images import images, unpinned
from stackcheck.upstream.keys import chart_defaults, template_text, unknown_keys
from stackcheck.upstream.releases import STAND_IN, upstream_releases
from stackcheck.upstream.render import render
from stacks.delivery.release import PIN_IMAGES

DEMO = Path(__file__).parent / "demo-chart"


def helm() -> str:
    try:
        return tools.tool("helm")
    except tools.ToolMissing:
        pytest.skip("helm is not built (make tools)")


def stack_folder(tmp_path: Path, *values: str, sensitive=(), cluster=None) -> Path:
    """A synthesized stack holding one release of the demo chart and one of a project chart (and `cluster`,
    {resource type: body}, when it makes one)."""
    folder = tmp_path / "stacks" / "demo-env"
    (folder / "assets" / "values").mkdir(parents=True)
    (folder / "assets" / "values" / "demo.yaml").write_text("replicas: 3\n")
    releases = {
        "demo": {
            "name": "demo",
            "namespace": "demo",
            "repository": "https://charts.example.invalid",
            "chart": "demo",
            "version": "1.2.3",
            "values": ['${file("assets/values/demo.yaml")}', *values],
            "set_sensitive": [{"name": name, "value": "${var.secret}"} for name in sensitive],
        },
        "own": {"name": "own", "namespace": "voiceplat", "chart": "assets/own-chart", "values": []},
    }
    clusters = {kind: {"cluster": body} for kind, body in (cluster or {}).items()}
    (folder / "cdk.tf.json").write_text(json.dumps({"resource": {"helm_release": releases, **clusters}}))
    return folder


def test_terraform_objects_read_with_references_and_calls_as_stand_ins():
    text = (
        '{"a" = "x \\"q\\"", "b" = aws_iam_role.r.arn, "c" = [1, true, null], "d" = {"e" = format("%s", "y")},'
        ' "f" = "${var.v}.example", "g" = "$${literal}"}'
    )
    assert parse_expression(text, stand_in="S") == {
        "a": 'x "q"',
        "b": "S",
        "c": [1, True, None],
        "d": {"e": "S"},
        "f": "S",
        "g": "${literal}",
    }


def test_an_unescaped_quote_in_a_terraform_string_is_an_error():
    with pytest.raises(HclError):
        parse_expression('{"a" = "[{"HTTPS":443}]"}', stand_in="S")


def test_repository_releases_are_read_with_every_values_document_in_order(tmp_path):
    folder = stack_folder(
        tmp_path,
        "extraArgs:\n  v: $${x}\n",
        '${yamlencode({"sub" = {"greeting" = var.g}})}',
        sensitive=["podAnnotations.token"],
    )
    (release,) = upstream_releases("demo-env", folder)  # the project's own chart is `make chart-test`'s
    assert (release.chart, release.version, release.namespace) == ("demo", "1.2.3", "demo")
    assert release.values == (
        {"replicas": 3},
        {"extraArgs": {"v": "${x}"}},
        {"sub": {"greeting": STAND_IN}},
        {"podAnnotations": {"token": STAND_IN}},
    )


@pytest.mark.parametrize(
    "cluster, rendered_as",
    [
        (None, pins.KUBERNETES.lstrip("v")),  # an existing cluster: kind's
        ({"aws_eks_cluster": {"name": "c", "version": "1.35"}}, "v1.35.0"),
        ({"azurerm_kubernetes_cluster": {"name": "c", "kubernetes_version": "1.35"}}, "v1.35.0"),
    ],
)
def test_a_release_renders_as_the_kubernetes_minor_of_the_cluster_its_stack_makes(tmp_path, cluster, rendered_as):
    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    (release,) = upstream_releases("demo-env", stack_folder(tmp_path, cluster=cluster))
    objects = render(helm(), release, prepared(find_local(charts, "demo", "1.2.3"), tmp_path).path)
    (config,) = [o for o in objects if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "demo"]
    assert config["data"]["kubeVersion"].lstrip("v") == rendered_as.lstrip("v")


def test_a_release_whose_values_terraform_would_refuse_is_reported_not_rendered(tmp_path):
    folder = stack_folder(tmp_path, '${yamlencode({"a" = "[{"HTTPS":443}]", "b" = var.b})}')
    (release,) = upstream_releases("demo-env", folder)
    assert "not a valid Terraform expression" in release.problem


def test_a_chart_is_found_by_name_and_version_not_by_folder_name(tmp_path):
    shutil.copytree(DEMO, tmp_path / "whatever")
    assert find_local(tmp_path, "demo", "1.2.3") == tmp_path / "whatever"
    assert find_local(tmp_path, "demo", "1.2.4") is None


def test_a_missing_dependency_is_dropped_from_a_copy_and_said(tmp_path):
    source = prepared(DEMO, tmp_path)
    assert source.dropped == ["absent"] and "absent" in source.note
    assert [dep["name"] for dep in yaml.safe_load((source.path / "Chart.yaml").read_text())["dependencies"]] == ["sub"]
    assert "absent" in (DEMO / "Chart.yaml").read_text(), "the chart itself is left alone"


@pytest.mark.parametrize(
    "values, unknown",
    [
        ({"replicas": 2, "podDisruptionBudget": {"minAvailable": 1}}, []),
        ({"podDisruptionBudget": {"minAvailabel": 1}}, ["podDisruptionBudget.minAvailabel"]),  # a typo
        ({"controller": {"podDisruptionBudget": {}}}, ["controller"]),
        ({"podAnnotations": {"any": "thing"}, "extraArgs": {"expander": "least-waste"}}, []),  # free-form maps
        ({"sub": {"greeting": "hi", "farewell": "bye"}}, ["sub.farewell"]),  # a subchart's keys under its name
        ({"global": {"anything": 1}}, []),
        ({"settings": {"url": "https://x"}}, []),  # taken whole through omit
        ({"dynamicSettings": {"a.b": [{"value": 1}]}}, []),  # no default, but a template takes it whole
        ({"dynamicSetings": {"a.b": [{"value": 1}]}}, ["dynamicSetings"]),  # still a typo
        # Read through variables (templates/_stores.tpl): an index by a variable matches any store.
        ({"stores": {"visibility": {"sql": {"secretKey": "pw", "tls": {"enabled": True, "caFile": "/ca"}}}}}, []),
        ({"stores": {"default": {"sql": {"secretKye": "pw"}}}}, ["stores.default.sql.secretKye"]),
        ({"bundledDb": {"enabled": False}}, []),  # read directly, though values.yaml leaves it out
        ({"bundledDb": {"enabld": False}}, ["bundledDb.enabld"]),
    ],
)
def test_keys_the_chart_does_not_have_are_reported(values, unknown):
    assert unknown_keys(values, chart_defaults(DEMO), template_text(DEMO)) == unknown


SCHEMA = {
    "properties": {
        "spread": {"$ref": "https://schemas.example.com/_definitions.json#/definitions/spread"},
        "podDisruptionBudget": {"properties": {"minAvailable": {}, "maxUnavailable": {}, "annotations": {}}},
    }
}


def schema_chart(tmp_path: Path) -> Path:
    """The demo chart with a values.schema.json that declares a key values.yaml leaves out (like nginx-ingress's
    commented controller.topologySpreadConstraints) and refers to a definition on the web."""
    folder = shutil.copytree(DEMO, tmp_path / "schema-chart")
    (folder / "values.schema.json").write_text(json.dumps(SCHEMA))
    return folder


@pytest.mark.parametrize(
    "values, unknown",
    [
        ({"spread": [{"maxSkew": 1}], "podDisruptionBudget": {"annotations": {"a": "b"}}}, []),
        ({"sprad": []}, ["sprad"]),  # still a typo
    ],
)
def test_keys_the_charts_schema_declares_are_known_though_values_yaml_leaves_them_out(tmp_path, values, unknown):
    folder = schema_chart(tmp_path)
    assert unknown_keys(values, chart_defaults(folder), template_text(folder)) == unknown


def test_a_schemas_remote_refs_are_dropped_from_the_copy_and_said(tmp_path):
    source = prepared(schema_chart(tmp_path), tmp_path)
    assert "1 remote $refs" in source.note
    schema = json.loads((source.path / "values.schema.json").read_text())
    assert (
        schema["properties"]["spread"] == {}
        and schema["properties"]["podDisruptionBudget"] == SCHEMA["properties"]["podDisruptionBudget"]
    )


@pytest.mark.parametrize(
    "image, is_unpinned",
    [
        ("quay.io/org/app:1.2.3", False),
        ("org/app@sha256:" + "a" * 64, False),
        ("app:latest@sha256:" + "b" * 64, False),
        ("host:5000/org/app:v2", False),
        ("app", True),
        ("app:latest", True),
        ("host:5000/org/app", True),
    ],
)
def test_an_image_is_pinned_by_a_tag_other_than_latest_or_by_a_digest(image, is_unpinned):
    assert unpinned(image) is is_unpinned


@pytest.mark.parametrize(
    "values, expected",
    [
        ("", []),
        ("image:\n  tag: latest\n", ["Deployment demo runs registry.example.com:5000/demo/app:latest"]),
        ("image:\n  tag: ''\n  digest: sha256:" + "c" * 64 + "\n", []),
        ("waitImage: busybox\n", ["Deployment demo runs busybox"]),
    ],
)
def test_every_image_a_release_runs_without_a_pin_is_a_finding(tmp_path, values, expected):
    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    folder = stack_folder(tmp_path, *([values] if values else []))
    findings, _ = check_stack(
        "demo-env", folder, Sources(helm=helm(), local=charts, work=tmp_path), None, log=lambda *_: None
    )
    assert [f.message for f in findings if f.what == "image"] == [f"{e}: no pinned tag or digest" for e in expected]


@pytest.mark.parametrize(
    "values",
    [
        "waitImage: docker.io/bitnamilegacy/os-shell:12-debian-12-r51\n",
        "waitImage: bitnamilegacy/os-shell:12-debian-12-r51\n",
    ],
)
def test_every_image_a_release_runs_from_a_frozen_source_is_a_finding(tmp_path, values):
    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    folder = stack_folder(tmp_path, values)
    findings, _ = check_stack(
        "demo-env", folder, Sources(helm=helm(), local=charts, work=tmp_path), None, log=lambda *_: None
    )
    (frozen,) = [f for f in findings if f.what == "frozen-image"]
    assert frozen.message.startswith("Deployment demo runs ") and "bitnamilegacy/os-shell" in frozen.message
    assert "contract/frozen_images.py" in frozen.message and not frozen.known


def test_a_known_frozen_image_is_reported_with_its_reason_and_does_not_fail_the_check(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(check_module, "KNOWN", {"demo": "it moves next quarter"})
    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    folder = stack_folder(tmp_path, "waitImage: docker.io/bitnamilegacy/os-shell:12-debian-12-r51\n")
    findings, _ = check_stack(
        "demo-env", folder, Sources(helm=helm(), local=charts, work=tmp_path), None, log=lambda *_: None
    )
    (frozen,) = [f for f in findings if f.what == "frozen-image"]
    assert frozen.known == "it moves next quarter" and str(frozen).endswith("(known: it moves next quarter)")


def test_a_release_renders_through_its_post_renderer_as_helm_install_would(tmp_path):
    """The stack's pin-images post-renderer, found by the path relative to the stack's folder."""
    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    folder = stack_folder(tmp_path, "waitImage: busybox\n")
    shutil.copy2(PIN_IMAGES, folder / "assets" / "pin-images")
    document = json.loads((folder / "cdk.tf.json").read_text())
    document["resource"]["helm_release"]["demo"]["postrender"] = {
        "binary_path": "assets/pin-images",
        "args": ["busybox=docker.io/library/busybox:1.37.0"],
    }
    (folder / "cdk.tf.json").write_text(json.dumps(document))
    (release,) = upstream_releases("demo-env", folder)
    assert release.postrender == (str(folder / "assets/pin-images"), "busybox=docker.io/library/busybox:1.37.0")
    sources = Sources(helm=helm(), local=charts, work=tmp_path)
    findings, _ = check_stack("demo-env", folder, sources, None, log=lambda *_: None)
    assert not [f for f in findings if f.what in ("image", "render")], findings
    objects = render(helm(), release, prepared(find_local(charts, "demo", "1.2.3"), tmp_path).path)
    assert "docker.io/library/busybox:1.37.0" in images(objects)


@pytest.mark.toolchain
@pytest.mark.skipif(not binaries(), reason="kube-apiserver and etcd are not built (make tools)")
def test_the_dry_run_rejects_what_the_api_server_rejects_and_passes_the_rest(tmp_path):
    """minAvailable beside the chart's default maxUnavailable, and a field a ConfigMap does not have (strict)."""
    from stackcheck.upstream.apiserver import local_apiserver

    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    bad = stack_folder(tmp_path / "bad", "podDisruptionBudget:\n  minAvailable: 1\nsub:\n  strayField: x\n")
    good = stack_folder(tmp_path / "good", "podDisruptionBudget:\n  maxUnavailable: 1\n")
    sources = Sources(helm=helm(), local=charts, work=tmp_path)
    with local_apiserver() as kubeconfig:
        findings, notes = check_stack("bad", bad, sources, kubeconfig, log=lambda *_: None)
        assert sorted(f.what for f in findings) == ["dry-run", "dry-run", "unknown-key"]
        assert any("cannot be both set" in f.message for f in findings)
        assert any("strayField" in f.message for f in findings)
        assert any("absent" in note for note in notes)
        assert check_stack("good", good, sources, kubeconfig, log=lambda *_: None)[0] == []


def secret_provider_class_checked(tmp_path: Path, edit) -> tuple[list, list[str]]:
    """The demo release with its SecretProviderClass on, in a stack document `edit` changes, checked on a local API
    server where no CRD serves that kind: (the findings on it, the notes on it)."""
    from stackcheck.upstream.apiserver import local_apiserver

    charts = tmp_path / "charts"
    shutil.copytree(DEMO, charts / "demo")
    folder = stack_folder(tmp_path, "secretProviderClass:\n  enabled: true\n")
    document = json.loads((folder / "cdk.tf.json").read_text())
    edit(document)
    (folder / "cdk.tf.json").write_text(json.dumps(document))
    with local_apiserver() as kubeconfig:
        findings, notes = check_stack(
            "demo-env", folder, Sources(helm=helm(), local=charts, work=tmp_path), kubeconfig, log=lambda *_: None
        )
    return [f for f in findings if "SecretProviderClass" in f.message], [
        n for n in notes if "SecretProviderClass demo not dry-run" in n
    ]


@pytest.mark.toolchain
@pytest.mark.skipif(not binaries(), reason="kube-apiserver and etcd are not built (make tools)")
@pytest.mark.parametrize("addon_on", [True, False])
def test_a_kind_whose_crd_comes_with_a_managed_addon_of_the_cluster_is_noted_not_found(tmp_path, addon_on):
    def with_aks(document):
        addon = {"key_vault_secrets_provider": {"secret_rotation_enabled": True}} if addon_on else {}
        document["resource"]["azurerm_kubernetes_cluster"] = {"aks": {"name": "aks", **addon}}

    spc, notes = secret_provider_class_checked(tmp_path, with_aks)
    noted = [n for n in notes if "azure-keyvault-secrets-provider" in n]
    assert (bool(noted), bool(spc)) == ((True, False) if addon_on else (False, True)), (spc, notes)


@pytest.mark.toolchain
@pytest.mark.skipif(not binaries(), reason="kube-apiserver and etcd are not built (make tools)")
@pytest.mark.parametrize("other_at_hand", [True, False])
def test_a_kind_no_crd_serves_is_noted_while_a_release_that_may_install_it_is_not_at_hand(tmp_path, other_at_hand):
    """The SecretProviderClass CRD comes with no release here: a finding when every chart was rendered, a note when
    another release's chart (here a second demo, under a version not at hand) was not."""

    def with_other(document):
        other = {**document["resource"]["helm_release"]["demo"], "name": "other", "values": []}
        document["resource"]["helm_release"]["other"] = {**other, "version": "1.2.3" if other_at_hand else "9.9.9"}

    spc, notes = secret_provider_class_checked(tmp_path, with_other)
    noted = [n for n in notes if "may install it" in n]
    assert (bool(noted), bool(spc)) == ((False, True) if other_at_hand else (True, False)), (spc, notes)


def test_offline_without_charts_it_says_so_and_passes(monkeypatch, capsys):
    monkeypatch.setattr(cli, "repositories_reachable", lambda timeout=5: False)
    monkeypatch.delenv("UPSTREAM_CHARTS", raising=False)
    assert cli.main(["--out", "nowhere"]) == 0
    assert "nothing checked" in capsys.readouterr().out
