"""The CPU-time limit on every hypothesis example: work past it is interrupted and fails."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_CPU_SECONDS
from tests.support.cpu_limit import CpuTimeExceededError, CpuTimeStall, cpu_limit


def spin(seconds: float) -> None:
    """Use about ``seconds`` of CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_work_past_the_limit_is_interrupted_while_it_runs():
    started = time.process_time()
    with pytest.raises(CpuTimeExceededError), cpu_limit(0.2):
        spin(30)
    assert time.process_time() - started < 5


def test_work_that_swallows_the_interruption_still_fails():
    def stubborn():
        try:
            spin(30)
        except Exception:  # noqa: BLE001 - as code under test might (content parsing does)
            return "an error message instead"

    started = time.process_time()
    with pytest.raises(CpuTimeExceededError), cpu_limit(0.2):
        stubborn()
    assert time.process_time() - started < 5


def test_work_that_swallows_every_interruption_is_stopped_past_twice_the_limit():
    def obstinate():
        for _ in range(1000):
            try:
                spin(30)
            except Exception:  # noqa: BLE001 - as a retry loop under test might
                continue

    started = time.process_time()
    with pytest.raises(CpuTimeStall), cpu_limit(0.2):
        obstinate()
    assert time.process_time() - started < 5


def test_work_within_the_limit_passes_and_the_timer_is_disarmed():
    with cpu_limit(5):
        spin(0.05)
    spin(0.3)  # no interruption after the block


@given(st.integers())
def test_a_fuzzed_example(number):
    assert isinstance(number, int)


def test_every_hypothesis_test_runs_its_examples_under_the_limit():
    inner = test_a_fuzzed_example.hypothesis.inner_test
    assert inner.cpu_limit_seconds == EXAMPLE_CPU_SECONDS
