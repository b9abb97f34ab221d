"""Writes CPython's stdlib as .pyc files for python.wasm: stdlib-pyc.py LIB BUILDDIR OUTDIR (OUTDIR/json/__init__.pyc, ...)"""
# A folder of sourceless .pyc, not a zip: zipimport is Python code that reads the whole central directory at every
# start, which under an interpreter cost 120 ms of `python -c pass` (400 ms against 280 ms). Paths inside the .pyc
# name the file where the guest finds it (/usr/local/lib/python3.11/...), so tracebacks point there; the header's
# mtime is a constant, checked only against a .py beside it, and there is none, so every build writes the same bytes.
import os
import sys
from importlib._bootstrap_external import _code_to_timestamp_pyc

lib, builddir, out = sys.argv[1:]
# tests, GUI and tools that cannot run in WASI, and packaging the guest has no use for
skip = {"test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "pydoc_data", "__pycache__", "site-packages"}
files = []
for root, dirs, names in os.walk(lib):
    dirs[:] = sorted(d for d in dirs if d not in skip)
    files += [(os.path.join(root, n), os.path.relpath(os.path.join(root, n), lib)) for n in sorted(names) if n.endswith(".py")]
# the build's sysconfig data (sysconfig and site import it by this platform's name)
files += [(os.path.join(builddir, n), n) for n in sorted(os.listdir(builddir)) if n.startswith("_sysconfigdata") and n.endswith(".py")]
written = 0
for path, rel in sorted(files, key=lambda f: f[1]):
    with open(path, "rb") as source:
        text = source.read()
    try:
        code = compile(text, "/usr/local/lib/python3.11/" + rel, "exec", dont_inherit=True)
    except SyntaxError:
        # a few files are deliberately invalid Python 3 (lib2to3 fixtures and the like)
        continue
    target = os.path.join(out, rel[:-3] + ".pyc")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as pyc:
        pyc.write(_code_to_timestamp_pyc(code, 0, len(text)))
    written += 1
print(f"{written} modules -> {out}")
