"""Online or offline: which source artifacts come from. One decision per run, forced by VOICEPLAT_OFFLINE."""
import functools
import os
import urllib.request

from .progress import say

PROBES = ("https://registry.k8s.io/v2/", "https://dl.k8s.io/")


@functools.cache
def online() -> bool:
    forced = os.environ.get("VOICEPLAT_OFFLINE", "").strip().lower()
    if forced in ("1", "true", "yes"):
        return False
    if forced in ("0", "false", "no"):
        return True
    for url in PROBES:
        try:
            urllib.request.urlopen(url, timeout=3)
        except urllib.error.HTTPError:
            continue  # an answer, even 401/404, means it is reachable
        except OSError:
            say(f"{url} is unreachable: building every artifact locally (VOICEPLAT_OFFLINE=0 forces upstream)")
            return False
    say("upstream registries are reachable: using pinned upstream artifacts (VOICEPLAT_OFFLINE=1 forces local builds)")
    return True
