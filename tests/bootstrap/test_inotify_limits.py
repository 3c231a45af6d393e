"""Two kind clusters side by side (the e2e suite beside `make up`'s) need more inotify instances than a kernel's
default: the engine's set-up raises the limits that are lower and leaves higher ones alone."""

from bootstrap.docker_engine import INOTIFY_LIMITS, raise_inotify_limits


def proc_sys(tmp_path, values: dict):
    for key, value in values.items():
        path = tmp_path / key.replace(".", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{value}\n")
    return tmp_path


def read(root, key: str) -> int:
    return int((root / key.replace(".", "/")).read_text())


def test_a_limit_below_what_two_clusters_need_is_raised(tmp_path):
    root = proc_sys(tmp_path, {"fs.inotify.max_user_instances": 128, "fs.inotify.max_user_watches": 8192})
    raise_inotify_limits(root)
    assert {key: read(root, key) for key in INOTIFY_LIMITS} == INOTIFY_LIMITS


def test_a_higher_limit_is_left_as_it_is(tmp_path):
    root = proc_sys(tmp_path, {"fs.inotify.max_user_instances": 8192, "fs.inotify.max_user_watches": 1048576})
    raise_inotify_limits(root)
    assert read(root, "fs.inotify.max_user_instances") == 8192
    assert read(root, "fs.inotify.max_user_watches") == 1048576
