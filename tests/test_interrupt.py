"""Ctrl-C while the driver is inside the Dask client is acted on outside its locks."""

import os
import signal
import sys
import threading
import time
import traceback
from functools import partial

import pytest

from reliability.runner import Executor
from reliability.runner._interrupt import HeldInterrupt


class Pressed(Exception):
    """What the command's handler raises here, in place of KeyboardInterrupt: one that
    escaped a test by mistake would end the whole pytest session."""


#: the files of the call stack each time the handler raised
RAISED_IN: list[list[str]] = []


def _raise_pressed(signum, frame):
    RAISED_IN.append([f.filename for f in traceback.extract_stack(sys._getframe(1))])
    raise Pressed


def raised_outside_the_client():
    """Did every raise happen where the driver holds none of the client's locks (no
    frame of dask's distributed package, or of threading's Event and Condition)?"""
    inside = [
        f
        for stack in RAISED_IN
        for f in stack
        if "/distributed/" in f or f.endswith("/threading.py")
    ]
    return bool(RAISED_IN) and not inside


@pytest.fixture
def handler():
    """SIGINT raises :class:`Pressed` for the test; the handler before is put back."""
    previous = signal.signal(signal.SIGINT, _raise_pressed)
    RAISED_IN.clear()
    yield _raise_pressed
    signal.signal(signal.SIGINT, previous)


def press():
    """Ctrl-C, to this process: on Linux its handler runs at the next line here."""
    os.kill(os.getpid(), signal.SIGINT)


def test_a_held_press_acts_only_when_checked(handler):
    held = HeldInterrupt()
    with held.held():
        press()
        assert held.pressed
        with pytest.raises(Pressed):
            held.check()
        press()  # a second press while the interrupt unwinds is not raised
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_press_still_held_acts_on_leaving(handler):
    held = HeldInterrupt()
    with pytest.raises(Pressed), held.held():
        press()
        held.check.__self__  # noqa: B018 - a line after the press: nothing raised here
    assert signal.getsignal(signal.SIGINT) is handler
    assert not held.pressed


def test_an_error_ending_the_run_drops_the_press(handler):
    held = HeldInterrupt()
    with pytest.raises(ZeroDivisionError), held.held():
        press()
        1 / 0  # noqa: B018
    assert signal.getsignal(signal.SIGINT) is handler


def test_without_a_press_nothing_happens(handler):
    held = HeldInterrupt()
    with held.held():
        assert signal.getsignal(signal.SIGINT) is not handler
        held.check()
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_handler_that_does_not_raise_gets_every_press():
    """A program's own handler that only counts presses (press twice to quit, say)."""
    seen = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        held = HeldInterrupt()
        with held.held():
            for i in range(2):
                press()
                assert len(seen) == i  # held
                held.check()
        assert len(seen) == 2
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_inner_hold_leaves_the_outer_one_in_place(handler):
    outer, inner = HeldInterrupt(), HeldInterrupt()
    with outer.held():
        with inner.held():
            press()
            inner.check()  # the press is the outer one's: nothing raised here
        assert outer.pressed
        with pytest.raises(Pressed):
            outer.check()
    assert signal.getsignal(signal.SIGINT) is handler


def test_presses_while_closing_are_ignored(handler):
    with HeldInterrupt.ignored():
        press()
        press()
    assert signal.getsignal(signal.SIGINT) is handler


def test_an_ignored_sigint_is_left_alone():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with HeldInterrupt().held():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
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
        executor.run([(0, b) for b in range(400)], lambda s, b, shared: (pow, (b, 2)), done)
    assert 1 <= len(returned) < 400
    assert raised_outside_the_client(), RAISED_IN
    assert signal.getsignal(signal.SIGINT) is handler


def test_a_press_while_the_workers_load_the_kernel_acts_at_once(handler):
    """Workers that compile the kernel themselves (another machine) take minutes to
    warm up; the driver waits on them outside the client's locks, so a press acts
    within a fraction of a second, not when the warm-up ends. Before, it acted at
    once too, but inside the client's wait for the workers."""
    with pytest.raises(Pressed), Executor(n_workers=1) as executor:
        executor._connected()  # the cluster is up before the press
        executor.warm = partial(time.sleep, 6.0)
        threading.Timer(0.3, press).start()
        start = time.monotonic()
        try:
            executor.run([(0, 0)], lambda s, b, shared: (abs, (b,)), lambda s, b, v: None)
        finally:
            waited = time.monotonic() - start
    assert waited < 3.0, waited
    assert raised_outside_the_client(), RAISED_IN
