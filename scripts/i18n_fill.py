"""Fill translations into a .po file from a JSON object {msgid: msgstr}.

Usage: python scripts/i18n_fill.py ADDON/i18n/zh_CN.po translations.json

Only untranslated entries are filled unless --overwrite is given; prints
what is still untranslated.
"""

import json
import sys

import polib


def main(argv):
    overwrite = "--overwrite" in argv
    po_path, json_path = [a for a in argv if not a.startswith("--")][:2]
    with open(json_path, encoding="utf-8") as f:
        translations = json.load(f)
    po = polib.pofile(po_path)
    po.metadata.update(
        {"Language": po_path.rsplit("/", 1)[-1][:-3], "Plural-Forms": "nplurals=1; plural=0;"}
    )
    for entry in po:
        if entry.msgid in translations and (overwrite or not entry.msgstr):
            entry.msgstr = translations[entry.msgid]
    po.save(po_path)
    missing = [e.msgid for e in po if not e.msgstr]
    print(f"{po_path}: {len(po)} strings, {len(missing)} untranslated")
    for msgid in missing:
        print(f"  - {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
