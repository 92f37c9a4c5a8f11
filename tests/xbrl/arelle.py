"""Arelle (arelle-release, a dev dependency) validating an Inline XBRL document offline, against the
stand-in VSME taxonomy package of :mod:`tests.xbrl.stub_taxonomy`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.xbrl.stub_taxonomy import package


def validate(document: bytes, folder: Path) -> list[tuple[str, str, str]]:
    """Arelle's messages above ``info`` for ``document``: (level, code, text); [] when it is valid."""
    (folder / "report.xhtml").write_bytes(document)
    (folder / "vsme-stub.zip").write_bytes(package())
    log = folder / "arelle-log.json"
    log.unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "arelle.CntlrCmdLine", "--file", str(folder / "report.xhtml"),
         "--packages", str(folder / "vsme-stub.zip"), "--validate", "--internetConnectivity", "offline",
         "--disablePersistentConfig", "--logFile", str(log)],
        check=True, capture_output=True, timeout=300, cwd=folder,
    )
    messages = json.loads(log.read_text(encoding="utf-8"))["log"]
    loaded = [m for m in messages if m["code"] == "info" and "validated in" in m["message"]["text"]]
    assert loaded, f"Arelle did not validate the document: {messages}"
    return [(m["level"], m["code"], m["message"]["text"]) for m in messages if m["level"] != "info"]
