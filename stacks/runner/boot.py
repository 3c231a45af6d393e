"""What a deploy runner's machine runs at its first boot, on either cloud: the pinned actions/runner release,
registered with the project's repository under the runner's labels, as a service. The registration token is read from
the cloud's secret store by the command the cloud gives (`fetch_token`), never written into the user data."""

from ..environments.catalog import CI_REPOSITORY
from ..environments.runner import DeployRunner

# Node 22 for cdktf, OpenTofu and the cloud CLIs are installed by the deploy workflow's own steps (setup-node,
# setup-opentofu), as on a hosted runner: the machine needs only the runner and git.
SCRIPT = """#!/bin/bash
set -euo pipefail
dnf install -y git jq tar gzip libicu || apt-get install -y git jq tar gzip libicu-dev
useradd --create-home runner || true
cd /home/runner
arch=$(uname -m | sed 's/aarch64/arm64/; s/x86_64/x64/')
curl -fsSL -o runner.tgz \\
  https://github.com/actions/runner/releases/download/v{version}/actions-runner-linux-$arch-{version}.tar.gz
tar xzf runner.tgz && rm runner.tgz && chown -R runner: .
token=$({fetch_token})
sudo -u runner ./config.sh --unattended --url https://github.com/{repository} --token "$token" \\
  --name "$(hostname)" --labels {labels} --replace
./svc.sh install runner && ./svc.sh start
"""


def user_data(runner: DeployRunner, *, fetch_token: str) -> str:
    return SCRIPT.format(
        version=runner.runner_version,
        repository=CI_REPOSITORY,
        labels=",".join((*runner.labels, runner.region_label)),
        fetch_token=fetch_token,
    )
