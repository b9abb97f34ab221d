# A Python app for OS mode's tests: the standard library, relative files (the project is the working directory),
# /tmp, stdin, stderr and an exit status.
import collections
import csv
import dataclasses
import datetime
import decimal
import hashlib
import json
import os
import pathlib
import re
import sys
import tempfile


@dataclasses.dataclass(order=True)
class Person:
    name: str
    born: datetime.date
    city: str


with open("data/people.csv", newline="") as f:
    people = sorted(Person(r["name"], datetime.date.fromisoformat(r["born"]), r["city"]) for r in csv.DictReader(f))
print("people:", ", ".join(p.name for p in people))
print("cities:", dict(collections.Counter(p.city for p in people)))
oldest = min(people, key=lambda p: p.born)
print(f"oldest: {oldest.name}, born on a {oldest.born:%A}")
print("decimal:", decimal.Decimal("0.1") + decimal.Decimal("0.2"))
print("sha256:", hashlib.sha256(b"wasmrun").hexdigest()[:16])
print("re:", re.findall(r"\b[A-Z]\w+", "Ada met Grace and Alan in London"))
print("cwd:", os.getcwd(), "argv:", sys.argv[1:])

out = pathlib.Path("out")
out.mkdir(exist_ok=True)
(out / "people.json").write_text(json.dumps([dataclasses.asdict(p) | {"born": p.born.isoformat()} for p in people], indent=1))
print("wrote:", sorted(p.name for p in out.iterdir()), len(json.loads((out / "people.json").read_text())))
with tempfile.NamedTemporaryFile("w+", dir="/tmp", suffix=".txt") as scratch:
    scratch.write("scratch")
    scratch.seek(0)
    print("tmp:", scratch.read(), scratch.name.startswith("/tmp/"))

line = sys.stdin.readline().strip()
print("stdin:", line or "(none)")
print("warning: done", file=sys.stderr)
sys.exit(4)
