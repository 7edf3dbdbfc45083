"""Imports drillbook's Anki packages with Anki's own backend (the `anki` package from PyPI), one
after another into one new collection, as a learner's Anki would, and prints what the collection
holds after each import as one JSON document for the Rust test that runs this to check.

    python import_decks.py COLLECTION.anki2 FIRST.apkg [LATER.apkg[:merge] ...]

Each import uses Anki's defaults: update a note when the incoming one is newer, keep the
learner's scheduling. A package named with `:merge` is imported as a learner does once after the
note type gained a field: "Merge note types" ticked and "Update notes" set to "Always" (merging
marks every existing note as modified now, so "If newer" would skip them). For every import it prints the importer's log (how many notes were new,
updated, unchanged or conflicting), and then every note (guid, note type, fields by name, mod),
card (its note's guid and deck name) and deck (name and description).
"""

import json
import sys

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import (
    IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
    IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
)


def snapshot(col):
    notes = []
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        notes.append(
            {
                "guid": note.guid,
                "notetype": note.note_type()["name"],
                "fields": dict(note.items()),
                "mod": note.mod,
            }
        )
    cards = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        cards.append({"guid": card.note().guid, "deck": col.decks.name(card.did)})
    decks = {d.name: col.decks.get(d.id)["desc"] for d in col.decks.all_names_and_ids()}
    return {"notes": sorted(notes, key=lambda n: n["guid"]), "cards": sorted(cards, key=lambda c: c["guid"]), "decks": decks}


def main(collection_path, packages):
    results = []
    for package in packages:
        # Opened anew for each import, as Anki is between sessions: a merged note type's new
        # fields show only in a collection opened after the merge.
        col = Collection(collection_path)
        try:
            merge = package.endswith(":merge")
            package = package.removesuffix(":merge")
            request = ImportAnkiPackageRequest(
                package_path=package,
                options=ImportAnkiPackageOptions(
                    merge_notetypes=merge,
                    update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
                    if merge
                    else IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                ),
            )
            log = col.import_anki_package(request).log
            counts = {
                kind: len(getattr(log, kind))
                for kind in ("new", "updated", "duplicate", "conflicting")
            }
        finally:
            col.close()
        col = Collection(collection_path)
        try:
            results.append({"package": package, "log": counts, **snapshot(col)})
        finally:
            col.close()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
