"""Merge a freshly exported .pot into the addon's .po files.

Usage: python scripts/i18n_merge.py NEW.pot ADDON/i18n

Writes ADDON/i18n/<module>.pot, keeps every existing translation of each
.po file, adds new strings untranslated, drops strings no longer in the code
and prints what is left to translate. No gettext tools needed (polib).
"""

import sys
from pathlib import Path

import polib


def main(new_pot, i18n_dir):
    i18n_dir = Path(i18n_dir)
    module = i18n_dir.parent.name
    pot = polib.pofile(new_pot)
    pot.save(str(i18n_dir / f"{module}.pot"))
    todo = 0
    for po_path in sorted(i18n_dir.glob("*.po")):
        po = polib.pofile(str(po_path))
        old = {entry.msgid: entry for entry in po}
        kept = {k: v for k, v in po.metadata.items() if k in ("Language", "Plural-Forms")}
        po.metadata = {**pot.metadata, **kept}
        po.clear()
        for entry in pot:
            merged = polib.POEntry(
                msgid=entry.msgid,
                msgstr=old[entry.msgid].msgstr if entry.msgid in old else "",
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
            po.append(merged)
        missing = [e.msgid for e in po if not e.msgstr]
        todo += len(missing)
        po.save(str(po_path))
        print(f"{po_path.name}: {len(po)} strings, {len(missing)} untranslated")
        for msgid in missing:
            print(f"  - {msgid!r}")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
