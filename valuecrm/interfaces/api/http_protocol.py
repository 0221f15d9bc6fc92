"""The HTTP/1.1 protocol ``valuecrm serve`` runs: uvicorn's, with its one answer of its own in
the API's error shape.

uvicorn parses requests with httptools (llhttp, in C) when it is installed, else with h11 (pure
Python): at 200 clients on a million customers, h11's parsing took a fifth of the server's
Python time (``bench/serve_load.py``: 560-600 requests/s with h11, 680-920 with httptools on the
same machine). Both refuse a request they cannot read (a request line and headers over 80 KB for
llhttp, bytes that are not HTTP) with 400 before the application sees it, in plain text; here
that answer is ``{"error": "bad_request", "message", "hint", "details"}`` like every other
error of the API (:mod:`valuecrm.interfaces.api.errors`).
"""

from __future__ import annotations

import json
from typing import Any

from valuecrm.interfaces.api.errors import error_body

UNREADABLE = ("The server could not read this HTTP request ({reason}).",
              "Send a well-formed HTTP/1.1 request whose request line and headers stay under "
              "80 KB; put long inputs in a request body instead.")


def bad_request_bytes(reason: str) -> bytes:
    """The JSON body of the 400 answer to a request that could not be read."""
    message, hint = UNREADABLE
    return json.dumps(error_body("bad_request", message.format(reason=reason.rstrip(".")),
                                 hint)).encode()


def protocol_class() -> type[Any]:
    """uvicorn's httptools protocol (h11's without httptools) answering an unreadable request
    with :func:`bad_request_bytes`."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # httptools is not installed: the pure-Python parser
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    class ValueCRMProtocol(Base):  # type: ignore[misc, valid-type]
        def send_400_response(self, msg: str) -> None:
            body = bad_request_bytes(msg)
            head = [b"HTTP/1.1 400 Bad Request\r\n"]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            head += [b"content-type: application/json\r\n",
                     b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                     b"connection: close\r\n", b"\r\n"]
            self.transport.write(b"".join(head) + body)
            self.transport.close()

    return ValueCRMProtocol
