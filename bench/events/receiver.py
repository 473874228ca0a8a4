#!/usr/bin/python3
"""A webhook receiver for bench/events/run.sh: answers 200 to every POST, checks the
Vireo-Signature of each, and counts events (an array body counts its elements)."""
import hashlib, hmac, http.server, json, sys, threading

port, secret = int(sys.argv[1]), sys.argv[2].encode()
lock = threading.Lock()
counts = {"requests": 0, "events": 0, "bad_signatures": 0}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        fields = dict(p.split("=", 1) for p in self.headers["Vireo-Signature"].split(","))
        good = hmac.compare_digest(
            hmac.new(secret, fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest(), fields["v1"])
        doc = json.loads(body)
        with lock:
            counts["requests"] += 1
            counts["events"] += len(doc) if isinstance(doc, list) else 1
            counts["bad_signatures"] += 0 if good else 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            data = json.dumps(counts).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
