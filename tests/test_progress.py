"""The progress bar: which claim, which witness, time elapsed and left, on a terminal or a log."""

import io

from derivations.registry import all_claims
from reports.progress import ProgressBar, format_seconds


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _claims():
    claims = all_claims()
    return [claims[0], claims[1]]


def _messages(claims):
    """What the engine says, in order (``check_claims`` prefixes ``[i/n]``)."""
    out = []
    for i, c in enumerate(claims, 1):
        for case in c.cases:
            out.append(f"[{i}/{len(claims)}] {c.id} [{case.name}]: derivation")
            out += [f"[{i}/{len(claims)}] {c.id} [{case.name}]: {e.name}" for e in case.experiments]
    return out


def test_log_lines_name_claim_witness_and_time_left():
    claims, clock, stream = _claims(), Clock(), io.StringIO()
    bar = ProgressBar(claims, stream, tty=False, clock=clock)
    msgs = _messages(claims)
    for k, m in enumerate(msgs):
        clock.t += 10.0
        bar(m)
    lines = stream.getvalue().splitlines()
    assert len(lines) == len(msgs)
    last_case, last_exp = claims[1].cases[-1].name, claims[1].cases[-1].experiments[-1].name
    assert lines[-1].startswith(f"[{len(msgs) * 10.0:7.1f} s] [2/2] {claims[1].id} · {last_case} · {last_exp}")
    assert "left" in lines[-1] and "estimating" in lines[0]
    bar.close("checked 2 claims")
    assert stream.getvalue().splitlines()[-1] == f"checked 2 claims in {format_seconds(len(msgs) * 10.0)}"


def test_time_left_uses_a_previous_run_when_known():
    claims, clock = _claims(), Clock()
    # The previous run spent 90 s on the first claim and 10 s on the second: once the
    # first is done (90 % of the weight), 10 % is left.
    bar = ProgressBar(claims, io.StringIO(), tty=False, clock=clock,
                      weights={claims[0].id: 90.0, claims[1].id: 10.0})
    clock.t += 90.0
    bar(_messages(claims)[len(_messages([claims[0]]))])  # the second claim's first step starts
    assert bar.done / bar.total == 0.9
    assert "~10 s left" in bar.status()


def test_terminal_redraws_one_line():
    claims, clock, stream = _claims(), Clock(), io.StringIO()
    bar = ProgressBar(claims, stream, tty=True, clock=clock, tick=0)
    for m in _messages(claims)[:2]:
        clock.t += 1
        bar(m)
    bar.close("done")
    text = stream.getvalue()
    assert text.count("\r\x1b[K") == 3 and text.count("\n") == 1
    assert "#" in text or "-" * 20 in text


def test_unknown_messages_are_shown_not_counted():
    bar = ProgressBar(_claims(), io.StringIO(), tty=False, clock=Clock())
    bar("[1/2] something else")
    assert bar.current == "something else" and bar.done == 0.0


def test_format_seconds():
    assert [format_seconds(s) for s in (5, 75, 3720)] == ["5 s", "1 min 15 s", "1 h 02 min"]
