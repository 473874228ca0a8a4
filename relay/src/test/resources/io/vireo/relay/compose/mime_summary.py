# Reads one RFC 5322 message (file given as argv[1]) with Python's email package, strictly
# (policy=default raises nothing but records defects), and prints what a mail client would see as
# JSON: decoded headers, the MIME tree, text bodies and attachments (name, type, SHA-256).
import email
import email.policy
import hashlib
import json
import sys

with open(sys.argv[1], "rb") as f:
    raw = f.read()
message = email.message_from_bytes(raw, policy=email.policy.default)
defects = [type(d).__name__ for d in message.defects]


def tree(part):
    defects.extend(type(d).__name__ for d in part.defects)
    if part.is_multipart():
        return {"type": part.get_content_type(), "parts": [tree(p) for p in part.iter_parts()]}
    node = {"type": part.get_content_type(), "cte": part.get("Content-Transfer-Encoding", "")}
    if part.get_content_disposition() == "attachment":
        payload = part.get_payload(decode=True)
        node["filename"] = part.get_filename()
        node["sha256"] = hashlib.sha256(payload).hexdigest()
        node["size"] = len(payload)
    else:
        node["content"] = part.get_content()
    return node


summary = {
    "from": str(message["From"]),
    "from_name": message["From"].addresses[0].display_name,
    "from_address": message["From"].addresses[0].addr_spec,
    "to": [a.addr_spec for a in message["To"].addresses] if message["To"] else [],
    "cc": [a.addr_spec for a in message["Cc"].addresses] if message["Cc"] else [],
    "bcc_header": message["Bcc"] is not None,
    "reply_to": str(message["Reply-To"]) if message["Reply-To"] else None,
    "subject": str(message["Subject"]),
    "message_id": str(message["Message-ID"]),
    "date": str(message["Date"]),
    "mime_version": str(message["MIME-Version"]),
    "extra": {k: str(v) for k, v in message.items() if k.startswith("X-")},
    "tree": tree(message),
    "ascii_headers": all(b < 128 for b in raw.split(b"\r\n\r\n", 1)[0]),
    "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
    "defects": defects,
}
print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
