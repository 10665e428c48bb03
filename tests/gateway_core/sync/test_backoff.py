from gateway_core.sync import Backoff


def test_delay_doubles_up_to_the_cap_with_equal_jitter():
    low, high = Backoff(base=1, cap=60, rand=lambda: 0.0), Backoff(base=1, cap=60, rand=lambda: 0.999999)
    lows = [low.failed() for _ in range(10)]
    highs = [high.failed() for _ in range(10)]
    assert lows[:4] == [0.5, 1, 2, 4]
    assert [round(h) for h in highs[:4]] == [1, 2, 4, 8]
    assert max(highs) <= 60 and lows[-1] == 30  # capped, and never below half the step


def test_success_resets_and_to_cap_jumps_straight_to_the_longest_wait():
    b = Backoff(base=1, cap=300, rand=lambda: 1.0)
    b.failed()
    b.failed()
    b.succeeded()
    assert b.failures == 0 and b.failed() == 1
    assert b.failed(to_cap=True) == 300


def test_retry_after_is_honoured_up_to_the_cap():
    b = Backoff(base=1, cap=120, rand=lambda: 0.0)
    assert b.failed(at_least=30) == 30
    assert b.failed(at_least=10_000) == 120
