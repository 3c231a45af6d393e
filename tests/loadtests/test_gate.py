"""The SLO gate only ever raises locust's exit code."""

from types import SimpleNamespace

from loadtests.gate import SLO_BREACH_EXIT_CODE, raise_exit_code


def test_a_breach_sets_the_exit_code_when_nothing_else_did():
    environment = SimpleNamespace(process_exit_code=None)
    raise_exit_code(environment, SLO_BREACH_EXIT_CODE)
    assert environment.process_exit_code == SLO_BREACH_EXIT_CODE


def test_a_breach_never_lowers_a_higher_exit_code_set_before():
    environment = SimpleNamespace(process_exit_code=7)
    raise_exit_code(environment, SLO_BREACH_EXIT_CODE)
    assert environment.process_exit_code == 7
