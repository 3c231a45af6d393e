"""stacks/delivery/postrender/pin-images: the Helm post-renderer that pins images a chart hard-codes without a tag,
and the releases that run through it."""

import subprocess

import pytest

from deliverykit import delivery, releases
from stacks.delivery.release import PIN_IMAGES
from stacks.delivery.upstream_charts import CHARTS

MANIFEST = """\
spec:
  initContainers:
    - name: wait
      image: busybox
    - image: "busybox"
      command: [sh]
  containers:
  - image: busybox:1.2   # already pinned: left alone
    name: app
  - name: other
    image: quay.io/busybox
data:
  note: "image: busybox"
"""


def pin(manifest: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PIN_IMAGES), *args], input=manifest, capture_output=True, text=True)


def test_each_image_line_naming_the_image_gets_the_pinned_reference_and_nothing_else_changes():
    result = pin(MANIFEST, "busybox=docker.io/library/busybox:1.37.0")
    assert result.returncode == 0, result.stderr
    pinned = "docker.io/library/busybox:1.37.0"
    assert result.stdout == MANIFEST.replace("      image: busybox\n", f"      image: {pinned}\n").replace(
        '    - image: "busybox"\n', "    - image: docker.io/library/busybox:1.37.0\n"
    )


@pytest.mark.parametrize("args", [(), ("busybox",), ("=busybox:1",), ("busybox=",)])
def test_arguments_that_are_not_image_pairs_are_refused_naming_the_form(args):
    result = pin(MANIFEST, *args)
    assert result.returncode != 0 and "<image>=<pinned image>" in result.stderr


@pytest.mark.parametrize("name", ["prod-eu", "prod-eu-az", "local"])
def test_a_chart_with_hard_coded_images_is_released_through_the_post_renderer_with_its_pins(name):
    by_chart = {release["chart"]: release for release in releases(delivery(name)).values()}
    for key, chart in CHARTS.items():
        release = by_chart.get(chart.chart)
        if release is None:
            continue
        if chart.pinned_images:
            (block,) = release["postrender"] if isinstance(release["postrender"], list) else [release["postrender"]]
            assert block["binary_path"].startswith("assets/file-") and block["binary_path"].endswith("/pin-images")
            assert block["args"] == [f"{image}={pinned}" for image, pinned in chart.pinned_images]
        else:
            assert "postrender" not in release, key
    assert CHARTS["temporal"].pinned_images  # the one such chart today (upstream-check's image findings)
