"""HTTP from the OIDC client to TestID through Django's test client: a requests transport adapter.

The client code is unchanged – discovery, the key set and the token exchange go through requests, with real
headers, bodies and status codes – only the socket is replaced by a call into the same Django application, so the
fast tests (no live server, no threads) run the very code path production runs against ID-porten.
"""

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from patients import oidc


class DjangoTestClientAdapter(BaseAdapter):
    def __init__(self):
        super().__init__()
        self.client = Client()
        self.calls = []

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {}
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                continue
            headers[f"HTTP_{key}"] = value
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        self.calls.append((request.method, parts.path))
        answer = self.client.generic(
            request.method,
            path,
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            **headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response._content = answer.content
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def install(monkeypatch, base="http://testserver/"):
    """Route the OIDC client's HTTP for ``base`` into the test client; returns the adapter (it records the calls)."""
    adapter = DjangoTestClientAdapter()
    original = oidc.new_http_session

    def session(**kwargs):
        http = original(**kwargs)
        http.mount(base, adapter)
        return http

    monkeypatch.setattr(oidc, "new_http_session", session)
    return adapter
