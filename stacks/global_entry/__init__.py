"""Each cloud's global entry (`global-aws`, `global-azure`): DNS that answers a caller with the nearest production
region whose health check passes. Deployed after the regions; reads their public hosts from their state
(stacks/environments/global_entry.py, docs/multi-region.md)."""
