"""A real HTTP server on 127.0.0.1 that answers like Twilio's Messages API.

The tests script its answers (``stub.script(429, 500)``: the next calls fail so, then success)
and read what it received (``stub.sent``: the form of each accepted message).  Twilio's client
talks to it through ``[sms] api_base``; nothing leaves the machine."""
from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

# The test instance's Twilio account (conftest.py's [sms] settings use them).
ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "twilio-auth-token-for-tests"
SENDER = "+33757000000"

ERRORS = {
    21211: (400, "The 'To' number is not a valid phone number."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    429: (429, "Too Many Requests"),
    500: (500, "Internal Server Error"),
    503: (503, "Service Unavailable"),
}


class TwilioStub:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[dict] = []
        self.calls: list[dict] = []
        self.answers: list[int] = []  # error codes to answer next, in order
        self.per_number: dict[str, int] = {}  # a number that always fails with this code
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with stub.lock:
                    stub.calls.append({"path": self.path, "form": form,
                                       "auth": self.headers.get("Authorization", "")})
                    code = stub.per_number.get(form.get("To", "")) or (
                        stub.answers.pop(0) if stub.answers else None)
                    if code is None:
                        sid = "SM" + uuid.uuid4().hex
                        stub.sent.append(dict(form, sid=sid))
                if code is not None:
                    status, message = ERRORS[code]
                    body = {"code": code, "message": message, "status": status,
                            "more_info": f"https://www.twilio.com/docs/errors/{code}"}
                    return self._answer(status, body)
                account = self.path.split("/")[3]
                self._answer(201, {
                    "sid": sid, "account_sid": account, "to": form.get("To"),
                    "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                    "num_segments": "1", "date_created": "Sun, 06 Dec 2026 10:00:00 +0000",
                    "uri": f"{self.path[:-5]}/{sid}.json"})

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def script(self, *codes: int) -> None:
        with self.lock:
            self.answers.extend(codes)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
