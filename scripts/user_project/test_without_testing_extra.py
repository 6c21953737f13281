"""Without the ``testing`` extra, the in-process face says how to get it."""

from __future__ import annotations

import importlib.util

import pytest

from withdrawkit.testing import FakeOneKonto


def test_the_in_process_face_names_the_extra_to_install() -> None:
    assert importlib.util.find_spec("responses") is None
    with pytest.raises(ImportError, match=r"pip install 'withdrawkit\[testing\]'"):
        FakeOneKonto().mock().__enter__()
