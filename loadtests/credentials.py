"""Credentials come from environment variables, never from files in the repository.

A user class lists the variables it needs in `credentials`; `gate` refuses to start a run whose
users lack one, naming it, rather than sending a thousand unauthenticated requests.
"""

from __future__ import annotations

import os

API_TOKEN = "LOADTEST_API_TOKEN"  # bearer token of the load-test account (REST, GraphQL, voice, TTS)
STT_API_KEY = "LOADTEST_STT_API_KEY"  # the speech-to-text API key


def get(variable: str) -> str:
    return os.environ.get(variable, "")


def missing(user_classes) -> dict[str, list[str]]:
    """Variable name -> the user classes that need it, for every variable that is unset or empty."""
    needed: dict[str, list[str]] = {}
    for user_class in user_classes:
        for variable in getattr(user_class, "credentials", ()):
            if not get(variable):
                needed.setdefault(variable, []).append(user_class.__name__)
    return needed
