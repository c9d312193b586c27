"""The auth tier: how a bearer token becomes a `Principal` (app/common/auth.py).

Routes ask for permissions with `app/deps/auth.py:require`; nothing below the API
reads a header or a token.
"""
