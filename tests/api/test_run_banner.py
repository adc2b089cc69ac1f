"""The banner `credit run` (`make run`) prints once everything started."""

from __future__ import annotations

import inspect

from api import supervisor
from api.supervisor import banner


def test_the_banner_gives_the_token_hint_once() -> None:
    # given / when: the banner for another port
    text = banner(8791)
    # then: the addresses carry the port, and the token hint is one line, given once
    assert "http://127.0.0.1:8791/graphql" in text and "http://127.0.0.1:8791/readyz" in text
    assert text.count("credit token --tenant demo --role credit_manager") == 1
    assert text.count("Authorization: Bearer <token>") == 1
    assert len([line for line in text.splitlines() if "token" in line.lower()]) == 1


def test_run_all_prints_the_banner_and_no_other_token_hint() -> None:
    source = inspect.getsource(supervisor.run_all)
    assert source.count("banner(port)") == 1
    assert "credit token" not in source and "Bearer" not in source
