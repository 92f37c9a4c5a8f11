"""Integer settings from the environment: a bad value stops start-up naming the variable, the value and
what it must be, instead of a bare ValueError from int()."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from klimabok.settings import env_int

NAME = "KLIMABOK_LOGIN_FAILURE_LIMIT"


def test_an_unset_or_empty_variable_gives_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_int(NAME, 5, minimum=1) == 5
    monkeypatch.setenv(NAME, " ")
    assert env_int(NAME, 5, minimum=1) == 5


def test_a_whole_number_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, " 12 ")
    assert env_int(NAME, 5, minimum=1) == 12


def test_a_value_that_is_not_a_whole_number_names_the_variable_and_the_value(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "five")
    expected = r"^KLIMABOK_LOGIN_FAILURE_LIMIT must be a whole number of at least 1, not 'five'$"
    with pytest.raises(ImproperlyConfigured, match=expected):
        env_int(NAME, 5, minimum=1)
    monkeypatch.setenv(NAME, "2.5")
    with pytest.raises(ImproperlyConfigured, match=r"not '2\.5'$"):
        env_int(NAME, 5, minimum=1)


def test_a_value_below_the_minimum_names_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "0")
    expected = r"^KLIMABOK_LOGIN_FAILURE_LIMIT must be at least 1, not 0$"
    with pytest.raises(ImproperlyConfigured, match=expected):
        env_int(NAME, 5, minimum=1)
