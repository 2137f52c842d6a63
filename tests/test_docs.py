"""The examples in the library's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import reliability

MODULES = sorted(m.name for m in pkgutil.walk_packages(reliability.__path__, prefix="reliability."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
