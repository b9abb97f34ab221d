"""Writes CPython's stdlib as a stored zip of .pyc for python.wasm: zip-stdlib.py LIB BUILDDIR OUT.zip"""
# Paths inside the .pyc name the zip where the guest finds it (/usr/local/lib/python311.zip), so tracebacks point
# there; entries are sorted with a fixed date so the zip is the same bytes on every build.
import os
import sys
import zipfile
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
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
    for path, rel in sorted(files, key=lambda f: f[1]):
        with open(path, "rb") as source:
            text = source.read()
        try:
            code = compile(text, "/usr/local/lib/python311.zip/" + rel, "exec", dont_inherit=True)
        except SyntaxError:
            # a few files are deliberately invalid Python 3 (lib2to3 fixtures and the like)
            continue
        # a constant mtime in the header: the zip importer compares it only against a .py beside it, and there is none
        pyc = _code_to_timestamp_pyc(code, 0, len(text))
        archive.writestr(zipfile.ZipInfo(rel[:-3] + ".pyc", date_time=(2023, 1, 1, 0, 0, 0)), bytes(pyc))
        written += 1
print(f"{written} modules -> {out}")
