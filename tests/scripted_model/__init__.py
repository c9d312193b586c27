"""A scripted model provider on 127.0.0.1 for driving the real agent CLIs.

An agent CLI is pointed (by its own base-URL setting) at a small HTTP server
that records every request and answers the agent's conversation from a
script: a list of turns, each either a text reply or one tool call. One
module per wire format in this package turns a turn into that API's
streaming answer (`anthropic`, `openai_responses`, `openai_chat`, `gemini`).

Everything runs inside a fresh network namespace (`unshare -n`) whose only
interface is loopback, so the CLI cannot reach anything else and the server
can use a fixed port. The pytest process starts the runner, the runner starts
the server and the CLI, and the pytest process reads the recorded requests:

    uv run python -m tests.scripted_model --api anthropic --script turns.json \\
        --record requests.json --cwd PROJECT -- claude -p "..."

A script is JSON: `[{"text": "..."}, {"tool": "Write", "input": {...}}, ...]`.
Requests that belong to the conversation (the API module decides which) take
the next turn; when the script is used up, they get the text "done". Side
requests (titles, summaries, classifiers) get a short text and take no turn.
"""

PORT = 8931  # fixed: the namespace is private, nothing else listens in it
BASE_URL = f"http://127.0.0.1:{PORT}"
