"""Every answer that can be wrong is refused with a message that says what is allowed."""

from pathlib import Path
from typing import Any

import pytest

from tests.rendering import render

BAD_ANSWERS = [
    ("project_name", "   ", "must not be empty"),
    ("project_name", 'Say "hi"', "without double quotes"),
    ("project_slug", "Order Service", "lowercase letters, digits and single hyphens"),
    ("project_slug", "order--service", "single hyphens"),
    ("project_slug", "1password", "starting with a letter"),
    ("description", "", "must not be empty"),
    ("description", "two\nlines", "one line"),
    ("author_name", "", "must not be empty"),
    ("author_email", "not-an-email", "name@example.com"),
    ("python_version", "3.11", "['3.12', '3.13']"),
    ("agents", ["codex", "vim"], "'vim' is not in ['claude-code', 'codex', 'opencode'"),
    ("skills", ["python-no-such-skill"], "is not in ['python-typing-idioms'"),
    ("skills", ["python-message-bus-outbox"], "only be chosen with outbox=true"),
    ("skills", ["python-pure-domain-layer"], "only be chosen with pure_domain=true"),
    ("skills", ["python-auth-and-permissions"], "only be chosen with auth=local or auth=oidc"),
    ("auth", "basic", "['none', 'local', 'oidc']"),
]


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    BAD_ANSWERS,
    ids=[f"{q}={a!r}" for q, a, _ in BAD_ANSWERS],
)
def test_a_bad_answer_is_refused(tmp_path: Path, question: str, answer: Any, message: str) -> None:
    destination = tmp_path / "svc"
    with pytest.raises(ValueError, match=question) as refused:
        render(destination, **{question: answer})
    assert message in str(refused.value)
    assert not destination.exists() or not any(destination.iterdir())
