"""`make emulate-aws` (`python -m stackcheck.emulate`): a first `cdktf deploy` of the AWS stacks applied against an
AWS API emulator (moto server).

What `tofu validate` cannot see, an apply does: the order resources are created in, what the provider checks
only when it calls the API, the state bootstrap (`state-aws` makes the bucket and key) and each environment's
S3 backend with its lockfile and KMS encryption on that bucket. Each stack's synthesized folder is copied to a
work folder whose override files point the AWS provider and the backend at the emulator (HTTPS: the state
bucket refuses plain HTTP) and ask for the provider built by `make validate-cloud`. What the emulator lacks is
left out by name with the reason (`gaps.py`), with everything that depends on it; the Helm releases need the
cluster's API server, which the kind path proves. Nothing reaches AWS: every service the stacks call is sent to
the emulator, and a resource of a service not listed fails the run before anything is applied.
"""
