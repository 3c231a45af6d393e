"""Helpers the GitHub Actions workflows (.github/workflows/) run: which environments a job covers, the nightly
e2e trend. Plain Python on top of the environment model, so a job can run them before any virtualenv exists."""
