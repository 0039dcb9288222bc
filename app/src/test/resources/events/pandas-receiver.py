"""An ingestion loop as a data team would write it: a webhook receiver that verifies each delivery (Standard Webhooks:
HMAC-SHA256 of "id.timestamp.body" with the secret's key), and for each file.committed asks the service for a signed
link to the file and reads it with pandas, as an ingestion job would. Usage:
python3 pandas-receiver.py <port> <secret> <api-base> <api-key> <out-file>. Appends "<webhook-id> <name> <rows>" per
file read (each webhook-id once: duplicates are acknowledged and skipped)."""
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas

port, secret, api, key, out = sys.argv[1:6]
signing_key = base64.b64decode(secret.removeprefix("whsec_"))
seen = set()


def verified(headers, body):
    msg_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
    if not msg_id or not timestamp or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = base64.b64encode(hmac.new(signing_key, f"{msg_id}.{timestamp}.".encode() + body,
                                         hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, signature.split(",", 1)[1])
               for signature in headers.get("webhook-signature", "").split() if signature.startswith("v1,"))


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if not verified(self.headers, body):
            self.send_response(401)
            self.end_headers()
            return
        event = json.loads(body)
        msg_id = self.headers["webhook-id"]
        if event["type"] == "file.committed" and msg_id not in seen:
            name = event["data"]["name"]
            request = urllib.request.Request(f"{api}/v1/files/{urllib.request.quote(name)}/links", data=b"{}",
                                             headers={"Authorization": f"Bearer {key}",
                                                      "Content-Type": "application/json"})
            try:
                link = json.load(urllib.request.urlopen(request))["url"]
                rows = len(pandas.read_csv(link))
            except urllib.error.HTTPError as gone:
                if gone.code not in (404, 410):
                    raise
                rows = "gone"  # deleted before it could be read: nothing to ingest
            with open(out, "a") as log:
                log.write(f"{msg_id} {name} {rows}\n")
            seen.add(msg_id)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(port)), Receiver).serve_forever()
