"""Imports drillbook's Anki packages with Anki's own backend (the `anki` package from PyPI), one
after another into one new collection, as a learner's Anki would, and prints what the collection
holds after each import as one JSON document for the Rust test that runs this to check.

    python import_decks.py COLLECTION.anki2 FIRST.apkg [LATER.apkg ...]

Each import uses Anki's defaults: update a note when the incoming one is newer, keep the
learner's scheduling. For every import it prints the importer's log (how many notes were new,
updated, unchanged or conflicting), and then every note (guid, note type, fields by name, mod),
card (its note's guid and deck name) and deck (name and description).
"""

import json
import sys

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


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
    col = Collection(collection_path)
    results = []
    try:
        for package in packages:
            request = ImportAnkiPackageRequest(
                package_path=package, options=ImportAnkiPackageOptions()
            )
            log = col.import_anki_package(request).log
            counts = {
                kind: len(getattr(log, kind))
                for kind in ("new", "updated", "duplicate", "conflicting")
            }
            results.append({"package": package, "log": counts, **snapshot(col)})
    finally:
        col.close()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
