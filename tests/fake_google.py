"""Google's reCAPTCHA verification, answered at its HTTP boundary by a real HTTPS server on 127.0.0.1.

django-recaptcha posts to https://{RECAPTCHA_DOMAIN}/recaptcha/api/siteverify with urllib. Tests
point RECAPTCHA_DOMAIN here and trust this server's throwaway CA (SSL_CERT_FILE), so the whole
client path runs: TLS, the POST, the timeout, the JSON. Three ways to answer: pass, fail, and hang
(the connection is accepted and the request read, and nothing is ever sent back).
"""

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import trustme


class FakeGoogle:
    PASS, FAIL, HANG = "pass", "fail", "hang"

    def __init__(self, tmp_dir):
        self.mode = self.PASS
        self.score = 0.9
        self.action = "feedback"  # what a v3 token says it was made for
        self.calls: list[dict] = []
        self.release = threading.Event()  # set on close: hanging handlers give up
        authority = trustme.CA()
        self.ca_file = str(tmp_dir / "fake-google-ca.pem")
        authority.cert_pem.write_to_path(self.ca_file)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1").configure_cert(context)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                params = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.calls.append(params)
                if fake.mode == fake.HANG:
                    fake.release.wait(120)
                    return
                if fake.mode == fake.PASS:
                    answer = {"success": True, "score": fake.score, "action": fake.action}
                else:
                    answer = {"success": False, "error-codes": ["invalid-input-response"]}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        self.mode, self.score, self.action = self.PASS, 0.9, "feedback"
        self.calls.clear()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
