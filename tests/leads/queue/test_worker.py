"""The one worker loop: bodies in turn, a sleep only when none had work, a body's error survived."""

from leads.queue.worker import BatchResult, StopFlag, run_loop


class Recorder(StopFlag):
    """A stop flag that records the sleeps and stops after a number of them."""

    def __init__(self, sleeps: int):
        super().__init__("test")
        self.sleeps: list[float] = []
        self.limit = sleeps

    def wait(self, seconds: float) -> bool:
        self.sleeps.append(seconds)
        if len(self.sleeps) >= self.limit:
            self.event.set()
        return bool(self)


def test_bodies_take_turns_and_the_loop_sleeps_only_when_all_are_idle(app):
    calls = []
    busy = iter([BatchResult(claimed=3), BatchResult(claimed=1)])

    def crm():
        calls.append("crm")
        return next(busy, BatchResult())

    def failing():
        calls.append("failing")
        raise RuntimeError("database hiccup")

    stop = Recorder(sleeps=2)
    with app.app_context():
        run_loop("test", [crm, failing], idle_seconds=0.5, stop=stop)
    # Two busy rounds without sleeping, then two idle rounds that each sleep once.
    assert calls == ["crm", "failing"] * 4
    assert stop.sleeps == [0.5, 0.5]


def test_results_add_up():
    total = BatchResult()
    total.add(BatchResult(claimed=2, done=1, failed=1, errors=["x"]))
    total.add(BatchResult(claimed=1, sent=1, skipped="paused"))
    assert (total.claimed, total.done, total.failed, total.sent) == (3, 1, 1, 1)
    assert total.errors == ["x"]
    assert total.skipped == "paused"
    assert total.idle
