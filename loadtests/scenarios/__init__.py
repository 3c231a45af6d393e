"""One locustfile per public surface; `targets` maps an environment's scenario names to these files."""
