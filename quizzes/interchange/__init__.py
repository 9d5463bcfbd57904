"""Moving questions in and out of quizsite: YAML bank files (fixtures/), GIFT and Moodle XML
(to and from Moodle) and CSV (to and from a spreadsheet).

- schema.py: the plain question dict every format goes through, and the rules it must keep;
- gift.py, moodle_xml.py, csvrows.py, htmltext.py: pure parsing and writing, no Django;
- banks.py: the YAML bank files of fixtures/, loaded by `load_banks`;
- store.py: dicts in and out of the database by natural keys (imports all or nothing, and the
  derivation engine's drafts);
- resources.py: CSV through django-import-export;
- formats.py: one entry point per direction, by format name, for the admin.
"""
