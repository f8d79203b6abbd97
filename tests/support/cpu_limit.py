"""A bound on the CPU time of one piece of work, enforced while the work runs.

Hypothesis' ``deadline`` is checked only after an example returns, so an example stuck in a
slow parser would stall the suite. ``cpu_limit`` interrupts it instead: a profiling timer
(``ITIMER_PROF``, CPU time of the whole process, so a loaded machine does not count) raises
:class:`CpuTimeExceededError` in the test's thread once the work has used ``seconds`` of CPU,
and again every half second while the work swallows it (code under test may catch
``Exception``); past twice the limit it raises :class:`CpuTimeStall`, which ``except
Exception`` does not catch. Whatever the work did with the interruption, leaving the block
then fails.
"""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

REPEAT_SECONDS = 0.5


class CpuTimeExceededError(Exception):
    """The work used more CPU time than its limit."""


class CpuTimeStall(BaseException):
    """The work kept running past twice its limit, swallowing every interruption."""


@contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """Fail the block if it uses more than ``seconds`` of CPU time, interrupting it if need be."""
    message = f"the example used more than {seconds:g} s of CPU time"
    fired = False
    started = time.process_time()

    def interrupt(_signum, _frame):
        nonlocal fired
        fired = True
        if time.process_time() - started > 2 * seconds:
            raise CpuTimeStall(message + ", and went on after being interrupted")
        raise CpuTimeExceededError(message)

    armed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if armed:
        previous = signal.signal(signal.SIGPROF, interrupt)
        signal.setitimer(signal.ITIMER_PROF, seconds, REPEAT_SECONDS)
    try:
        yield
    except (CpuTimeExceededError, CpuTimeStall):
        raise
    except BaseException as exc:
        if fired:
            raise CpuTimeExceededError(message) from exc
        raise
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
    if fired or time.process_time() - started > seconds:
        raise CpuTimeExceededError(message)


def cpu_limited(test: Callable, seconds: float) -> Callable:
    """Wrap a function so that each call runs under ``cpu_limit(seconds)``."""

    @functools.wraps(test)
    def limited(*args, **kwargs):
        with cpu_limit(seconds):
            return test(*args, **kwargs)

    limited.cpu_limit_seconds = seconds  # type: ignore[attr-defined]
    return limited
