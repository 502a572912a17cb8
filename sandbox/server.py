"""HTTP transport: parsing, routing, auth, rate limiting and injected faults.

Order of checks for provider API paths: route → ``X-Auth-Token`` (401) → rate limit (429)
→ ``X-Customer-Id`` (403) → injected fault (before or after the real work) → body
(413/415/400) → handler. ``/_sandbox/`` paths are routed separately and never limited.
"""

import contextlib
import json
import socket
import sys
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import control
from .api import ROUTES, Request, Response
from .app import App
from .common import CUSTOMER_ERROR, NOT_FOUND, ApiError
from .i18n import pick_language

MAX_BODY = 1024 * 1024
MAX_DRAIN = 16 * MAX_BODY  # beyond this we hang up rather than read a huge upload
AUTH_ERROR = {"authentication": "Authentication Required"}
MALFORMED = b'{"detail": "upstream connection res'


class Dropped(Exception):
    """Close the connection without answering (an injected ``drop``)."""


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app: App):
        self.app = app
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 300  # an idle keep-alive connection gives its thread back after this
    server_version = "JobcastSandbox/1.0"
    server: SandboxServer

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        if self.server.app.settings.verbose:
            sys.stderr.write(f"sandbox: {self.address_string()} {format % args}\n")

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET  # noqa: N815

    # --- dispatch ----------------------------------------------------------------------

    def _handle(self) -> None:
        app = self.server.app
        parts = urlsplit(self.path)
        path = parts.path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self._body_consumed = False
        try:
            if path.startswith("/_sandbox/"):
                response = self._control(app, path, query)
            else:
                response = self._api(app, path, query)
        except Dropped:
            self._drop()
            return
        except ApiError as exc:
            response = Response(exc.status, exc.body, exc.headers)
        except Exception as exc:  # noqa: BLE001 - answer 500 rather than kill the connection
            print(f"sandbox: error on {self.command} {path}: {exc!r}", file=sys.stderr)
            response = Response(500, {"detail": "Internal sandbox error."})
        if not self._body_consumed:
            # Early answers (401, 403, 429...) must still consume the body, or its bytes
            # would be read as the next request on this keep-alive connection.
            self._discard_body()
        self._send(response)

    def _control(self, app: App, path: str, query: dict) -> Response:
        allowed = []
        for method, pattern, handler, auth in control.CONTROL_ROUTES:
            match = pattern.match(path)
            if not match:
                continue
            if method != self.command:
                allowed.append(method)
                continue
            if auth and self.headers.get("X-Auth-Token") not in app.settings.tokens:
                raise ApiError(401, AUTH_ERROR)
            req = self._request(path, query, match.groupdict(), "drf")
            return handler(app, req)
        if allowed:
            raise ApiError(
                405,
                {"detail": f'Method "{self.command}" not allowed.'},
                {"Allow": ", ".join(sorted(set(allowed)))},
            )
        raise ApiError(404, NOT_FOUND)

    def _api(self, app: App, path: str, query: dict) -> Response:
        allowed, route, match = [], None, None
        for candidate in ROUTES:
            m = candidate.pattern.match(path)
            if not m:
                continue
            if candidate.method == self.command:
                route, match = candidate, m
                break
            allowed.append(candidate.method)
        if route is None:
            if allowed:
                raise ApiError(
                    405,
                    {"detail": f'Method "{self.command}" not allowed.'},
                    {"Allow": ", ".join(sorted(set(allowed)))},
                )
            raise ApiError(404, NOT_FOUND)
        token = self.headers.get("X-Auth-Token")
        if token not in app.settings.tokens:
            raise ApiError(401, AUTH_ERROR)
        wait = app.limiter.hit(token)
        with app.store.lock:
            app.store.stats["requests_served"] += 1
            app.store.stats[f"route {route.method} {route.template}"] += 1
            if wait is not None:
                app.store.stats["throttled"] += 1
        if wait is not None:
            raise ApiError(
                429,
                {"detail": f"Request was throttled. Expected available in {wait} seconds."},
                {"Retry-After": str(wait)},
            )
        customer_id = (self.headers.get("X-Customer-Id") or "").strip() or None
        if route.customer and customer_id is None:
            raise ApiError(403, CUSTOMER_ERROR)
        fault = app.faults.take(self.command, path)
        if fault is not None:
            with app.store.lock:
                app.store.stats["faults_triggered"] += 1
            if not fault["after_processing"]:
                early = self._fault_before(fault)
                if early is not None:
                    return early
        req = self._request(path, query, match.groupdict(), route.body)
        req.token, req.customer_id = token, customer_id
        try:
            response = route.handler(app, req)
        except ApiError as exc:
            response = Response(exc.status, exc.body, exc.headers)
        if fault is not None and fault["after_processing"]:
            return self._fault_after(fault, response)
        return response

    # --- faults ------------------------------------------------------------------------

    def _fault_before(self, fault: dict) -> Response | None:
        """Answer for a fault applied before the work; None means: carry on."""
        if fault["kind"] in ("latency", "timeout"):
            time.sleep(fault["seconds"])
            return None
        self._discard_body()
        return self._fault_answer(fault, None)

    def _fault_after(self, fault: dict, response: Response) -> Response:
        if fault["kind"] in ("latency", "timeout"):
            time.sleep(fault["seconds"])
            return response
        return self._fault_answer(fault, response)

    def _fault_answer(self, fault: dict, response: Response | None) -> Response:
        kind = fault["kind"]
        if kind == "drop":
            raise Dropped()
        if kind == "error":
            return Response(fault["status"], {"detail": "Injected fault."})
        if kind == "answer":
            return Response(fault["status"], fault["body"])
        if kind == "page":
            page = f"<html><body><h1>{fault['status']}</h1><p>Injected page.</p></body></html>"
            return Response(fault["status"], page.encode(), {}, "text/html; charset=utf-8")
        if kind == "ratelimit":
            seconds = max(1, round(fault["seconds"]))
            return Response(
                429,
                {"detail": f"Request was throttled. Expected available in {seconds} seconds."},
                {"Retry-After": str(seconds)},
            )
        # malformed: 200 with a body cut short (the real one when the work was done)
        real = _encode(response.body) if response is not None and response.body else MALFORMED
        return Response(200, real[: max(1, len(real) // 2)])

    # --- request and response ----------------------------------------------------------

    def _request(self, path: str, query: dict, params: dict, body_kind: str) -> Request:
        req = Request(
            method=self.command,
            path=path,
            query=query,
            params=params,
            headers=dict(self.headers.items()),
            lang=pick_language(self.headers.get("Accept-Language")),
        )
        if self.command in ("POST", "PUT", "PATCH"):
            req.body = self._read_body(body_kind, path.startswith("/_sandbox/"))
        else:
            self._discard_body()
        return req

    def _content_length(self) -> int:
        try:
            return max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            raise ApiError(400, {"requestBody": "Invalid Content-Length."}) from None

    def _discard_body(self) -> None:
        """Read and forget the body so that the connection can serve the next request."""
        self._body_consumed = True
        try:
            length = self._content_length()
        except ApiError:
            length = MAX_DRAIN + 1
        if length > MAX_DRAIN or self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)
        if "Content-Length" in self.headers:
            self.headers.replace_header("Content-Length", "0")

    def _read_body(self, kind: str, control_path: bool):
        self._body_consumed = True
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ApiError(
                411, {"detail": "Send a Content-Length; chunked bodies are not supported."}
            )
        length = self._content_length()
        if length > MAX_BODY:
            self._discard_body()
            raise ApiError(413, {"detail": "Request body is larger than 1 MiB."})
        raw = self.rfile.read(length) if length else b""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not raw and (kind == "drf" or control_path):
            return {}
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if is_json or (control_path and not content_type):
            try:
                return json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise ApiError(400, {"requestBody": f"Invalid JSON: {exc}"}) from None
        if kind == "drf" and content_type == "application/x-www-form-urlencoded":
            return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        if kind == "drf" and content_type == "multipart/form-data":
            return _multipart(self.headers.get("Content-Type"), raw)
        raise ApiError(
            415, {"detail": f'Unsupported media type "{content_type or "none"}" in request.'}
        )

    def _send(self, response: Response) -> None:
        payload = b"" if response.status == 204 else _encode(response.body)
        self.send_response(response.status)
        if response.status != 204:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        # One write for headers and body: two small writes meet Nagle's algorithm and the
        # client's delayed ACK, which costs ~40 ms per request on loopback.
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(payload)
        self.flush_headers()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _encode(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _multipart(content_type: str, raw: bytes) -> dict:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            value = part.get_content()
            fields[name] = value.decode() if isinstance(value, bytes) else value
    return fields
