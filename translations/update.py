#!/usr/bin/env python3
"""Refresh translations/easel_*.ts from the sources under ui/ and app/.

lupdate (Qt 6.4) does not understand C++17 nested namespace definitions (`namespace easel::ui {`),
so it files messages under the bare class name ("MainWindow") while tr() looks them up under the
meta-object class name ("easel::ui::MainWindow"). This script runs lupdate and then qualifies each
context with the namespace its class is declared in.
Usage: translations/update.py [path/to/lupdate]
"""
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(__file__).resolve().parent.parent
lupdate = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/qt6/bin/lupdate"

namespaces = {}
for source in list((root / "ui").rglob("*.h")) + list((root / "app").rglob("*.h")):
    text = source.read_text(encoding="utf-8")
    for cls in re.finditer(r"^class (\w+)\s*(?:final\s*)?:\s*public Q", text, re.M):
        # The namespace opened last before the class declaration encloses it.
        opened = re.findall(r"^namespace (easel::\w+) \{", text[:cls.start()], re.M)
        if opened:
            namespaces[cls.group(1)] = opened[-1]

for ts in sorted((root / "translations").glob("easel_*.ts")):
    # lupdate matches messages by its own (bare) context names: strip the namespaces first so that
    # existing translations are kept, then put them back.
    tree = ET.parse(ts)
    for name in tree.getroot().iter("name"):
        bare = name.text.rsplit("::", 1)[-1]
        if namespaces.get(bare) and name.text == f"{namespaces[bare]}::{bare}":
            name.text = bare
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([lupdate, "-no-obsolete", "-locations", "none", str(root / "ui"), str(root / "app"),
                    "-ts", str(ts)], check=True)
    tree = ET.parse(ts)
    contexts = {}
    for context in tree.getroot().findall("context"):
        name = context.find("name")
        if name.text in namespaces:
            name.text = f"{namespaces[name.text]}::{name.text}"
        # Merge with an already-qualified context of the same name.
        if name.text in contexts:
            target = contexts[name.text]
            known = {m.find("source").text for m in target.findall("message")}
            for message in context.findall("message"):
                if message.find("source").text not in known:
                    target.append(message)
            tree.getroot().remove(context)
        else:
            contexts[name.text] = context
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    text = ts.read_text(encoding="utf-8")
    if "<!DOCTYPE TS>" not in text:
        ts.write_text(text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1), encoding="utf-8")
    unfinished = ts.read_text(encoding="utf-8").count('type="unfinished"')
    print(f"{ts.name}: {unfinished} unfinished")
