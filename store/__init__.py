"""fentwatch's store: the one SQLite file every part writes to. Schema and migrations, saving pages and their hits,
seller links, lexicon additions, re-scans, crawl-run records and export. Imports only ``detect`` and ``lexicon``."""
