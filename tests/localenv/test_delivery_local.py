"""deploy_local's bookkeeping: where each cluster's state lives (OpenTofu's runner: tests/bootstrap/test_tofu.py)."""

from contract import settings
from localenv.deploy import ROOT, Target


def test_the_make_up_cluster_keeps_its_state_in_the_project_like_a_plain_cdktf_deploy():
    target = Target.default()
    assert target.is_default and target.work_dir == ROOT and target.outdir == ROOT / "cdktf.out"


def test_any_other_cluster_gets_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    one = Target(str(tmp_path / "a" / "kubeconfig"), "kind-voiceplat-e2e-1a2b3c")
    other = Target(str(tmp_path / "b" / "kubeconfig"), "kind-voiceplat-e2e-4d5e6f")
    assert not one.is_default
    assert one.work_dir == tmp_path / "deploy" / "kind-voiceplat-e2e-1a2b3c" != other.work_dir
    assert one.log.parent == one.work_dir


def test_the_default_context_in_another_kubeconfig_is_another_cluster(tmp_path):
    assert not Target(str(tmp_path / "kubeconfig"), Target.default().context).is_default
