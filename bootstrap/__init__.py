"""Builds or fetches every tool and image the local environment and the e2e suite need, and boots kind.

Two sources, one code path: each artifact knows how to fetch its pinned upstream release (online) and how to build
it from the Go module proxy and Debian packages (offline). `VOICEPLAT_OFFLINE=1|0` forces a source; unset, the
registry's reachability decides. Everything lands in a cache keyed by version, so a second run rebuilds nothing.
"""
