"""fentwatch's review room: the moderator web app (Flask blueprints by area, sign-in, queue, takedowns, dashboard,
depictions; templates and static files). Imports only ``store`` and ``detect`` (and ``lexicon`` data)."""
