"""Online or offline: which source artifacts come from. One decision per run, forced by VOICEPLAT_OFFLINE."""

import functools
import urllib.request

from contract import settings

from .progress import say

PROBES = ("https://registry.k8s.io/v2/", "https://dl.k8s.io/")


@functools.cache
def online() -> bool:
    offline = settings.OFFLINE.read()
    if offline is not None:
        return not offline
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
