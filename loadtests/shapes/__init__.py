"""Load shapes: one stage table per file, picked on the command line (`SHAPE=ramp` -> shapes/ramp.py)."""
