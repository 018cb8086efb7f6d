"""Serve the tests' fake reCAPTCHA verification (tests/fake_google.py) for a benchmark, until killed.

    python bench/fake_google.py --mode pass|fail|hang --ready FILE

Writes `DOMAIN CA_FILE` to FILE once it listens on 127.0.0.1 (HTTPS, a throwaway CA): the server
under test gets RECAPTCHA_DOMAIN=DOMAIN and SSL_CERT_FILE=CA_FILE. `hang` reads each request and
never answers, as a Google that has stopped answering would.
"""

import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fake_google import FakeGoogle  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=[FakeGoogle.PASS, FakeGoogle.FAIL, FakeGoogle.HANG], default="pass")
    parser.add_argument("--ready", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        google = FakeGoogle(Path(tmp))
        google.mode = args.mode
        Path(args.ready).write_text(f"{google.domain} {google.ca_file}\n")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait(3600)  # bounded: a forgotten server ends by itself
        google.close()


if __name__ == "__main__":
    main()
