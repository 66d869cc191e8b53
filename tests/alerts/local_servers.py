"""Real SMTP and HTTP servers on 127.0.0.1 (ephemeral ports) for the alert tests.

The SMTP server speaks just enough RFC 5321 for smtplib: EHLO/HELO, AUTH PLAIN, MAIL,
RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. STARTTLS is deliberately not offered.
"""

from __future__ import annotations

import base64
import json
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    auth: tuple[str, str] | None


@dataclass
class SmtpInbox:
    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _SmtpHandler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        inbox: SmtpInbox = self.server.inbox  # type: ignore[attr-defined]
        self._reply("220 localhost test SMTP ready")
        mail_from, rcpts, auth = None, [], None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            arg = line[len(verb) :].strip()
            if verb == "EHLO":
                self._reply("250-localhost")
                self._reply("250-8BITMIME")
                self._reply("250 AUTH PLAIN")
            elif verb == "HELO":
                self._reply("250 localhost")
            elif verb == "AUTH":
                mechanism, _, payload = arg.partition(" ")
                if mechanism.upper() != "PLAIN" or not payload:
                    self._reply("504 only AUTH PLAIN with initial response")
                    continue
                _, user, password = base64.b64decode(payload).decode("utf-8").split("\0")
                auth = (user, password)
                self._reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                mail_from, rcpts = arg.split(":", 1)[1].strip().split(" ")[0].strip("<>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(arg.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data_line = self.rfile.readline()
                    if data_line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                with inbox.lock:
                    inbox.messages.append(ReceivedMail(mail_from or "", rcpts, b"".join(lines), auth))
                self._reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.inbox = SmtpInbox()

    @property
    def port(self) -> int:
        return self.server_address[1]


@dataclass
class ReceivedPost:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class _WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        server: WebhookServer = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server.received.append(ReceivedPost(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        answer = server.answer_body.encode("utf-8")
        self.send_response(server.answer_status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass


class WebhookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer_status: int = 200, answer_body: str = "ok") -> None:
        super().__init__(("127.0.0.1", 0), _WebhookHandler)
        self.received: list[ReceivedPost] = []
        self.answer_status = answer_status
        self.answer_body = answer_body

    @property
    def port(self) -> int:
        return self.server_address[1]


def serve_in_thread(server: socketserver.BaseServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread
