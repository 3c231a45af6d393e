"""deploy_local's bookkeeping: where each cluster's state lives, and what it reports of OpenTofu's output."""
from localenv.deploy import ROOT, Target, error_blocks


def test_the_make_up_cluster_keeps_its_state_in_the_project_like_a_plain_cdktf_deploy():
    target = Target.default()
    assert target.is_default and target.work_dir == ROOT and target.outdir == ROOT / "cdktf.out"


def test_any_other_cluster_gets_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICEPLAT_CACHE", str(tmp_path))
    one = Target(str(tmp_path / "a" / "kubeconfig"), "kind-voiceplat-e2e-1a2b3c")
    other = Target(str(tmp_path / "b" / "kubeconfig"), "kind-voiceplat-e2e-4d5e6f")
    assert not one.is_default
    assert one.work_dir == tmp_path / "deploy" / "kind-voiceplat-e2e-1a2b3c" != other.work_dir
    assert one.log.parent == one.work_dir


def test_the_default_context_in_another_kubeconfig_is_another_cluster(tmp_path):
    assert not Target(str(tmp_path / "kubeconfig"), Target.default().context).is_default


def test_a_failure_reports_opentofus_errors_and_leaves_its_warnings_out():
    output = [
        "local  ╷",
        "       │ Warning: Incomplete lock file information for providers",
        "       │ calculate lock file checksums locally",
        "       ╵",
        "local  ╷",
        "       │ Error: Lint Error",
        "       │ at '/services/vad/replicas': got string, want integer",
        "       ╵",
        "Invoking Terraform CLI failed with exit code 1",
    ]
    assert error_blocks(output) == ["Error: Lint Error", "at '/services/vad/replicas': got string, want integer"]

