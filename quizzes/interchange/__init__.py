"""Moving questions in and out of quizsite: GIFT and Moodle XML (to and from Moodle) and CSV
(to and from a spreadsheet).

- schema.py: the plain question dict every format goes through, and the rules it must keep;
- gift.py, moodle_xml.py, csvrows.py, htmltext.py: pure parsing and writing, no Django;
- store.py: dicts in and out of the database, all or nothing;
- resources.py: CSV through django-import-export;
- formats.py: one entry point per direction, by format name, for the admin.
"""
