"""Ctrl-C while a Dask client is live waits for a point outside the client's locks."""

import os
import signal

import pytest

from reliability.runner import Executor
from reliability.runner._interrupt import HeldInterrupt


class Pressed(Exception):
    """What the command's handler raises here, in place of KeyboardInterrupt: one that
    escaped a test by mistake would end the whole pytest session."""


def _raise_pressed(signum, frame):
    raise Pressed


@pytest.fixture
def handler():
    """SIGINT raises :class:`Pressed` for the test; the handler before is put back."""
    previous = signal.signal(signal.SIGINT, _raise_pressed)
    yield _raise_pressed
    signal.signal(signal.SIGINT, previous)


def press():
    os.kill(os.getpid(), signal.SIGINT)


def test_a_held_press_acts_only_when_checked(handler):
    held = HeldInterrupt()
    held.hold()
    press()  # the handler runs here, at the next line, in this (the main) thread
    assert held.pressed
    with pytest.raises(Pressed):
        held.check()
    assert signal.getsignal(signal.SIGINT) is handler  # acted on: the handler is back
    held.release()
    assert signal.getsignal(signal.SIGINT) is handler


def test_release_acts_on_a_press_held_until_then(handler):
    held = HeldInterrupt()
    held.hold()
    press()
    with pytest.raises(Pressed):
        held.release()
    assert signal.getsignal(signal.SIGINT) is handler


def test_without_a_press_release_puts_the_handler_back(handler):
    held = HeldInterrupt()
    held.hold()
    held.check()  # nothing pressed: nothing happens
    assert signal.getsignal(signal.SIGINT) is not handler
    held.release()
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_press_inside_a_window_acts_at_once_and_holding_resumes_after(handler):
    held = HeldInterrupt()
    held.hold()
    with held.window(), pytest.raises(Pressed):
        press()
    assert not held.pressed
    press()  # after the window: held again
    assert held.pressed
    with pytest.raises(Pressed):
        held.release()


def test_an_ignored_sigint_is_left_alone():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        held = HeldInterrupt()
        held.hold()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        held.release()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_press_during_a_cluster_run_is_acted_on_between_looks_at_the_blocks(handler):
    """The press is made in the driver's own code (the ``done`` of a block): before,
    the interrupt was raised right there; the same line inside the client's code is
    what left a lock held and hung the close. Now the call returns, the run stops at
    its next look at the finished blocks, the cluster closes, and the command's
    handler is back."""
    returned = []

    def done(s, b, value):
        if not returned:
            press()
        returned.append(b)

    with pytest.raises(Pressed), Executor(n_workers=2) as executor:
        executor.run(
            [(0, b) for b in range(40)],
            lambda s, b, shared: (pow, (b, 2)),
            done,
        )
    assert 1 <= len(returned) < 40
    assert signal.getsignal(signal.SIGINT) is handler
