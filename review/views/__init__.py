"""The review app's blueprints, one per area; each view reads the request, calls the room below, renders."""

from . import api, audit, base, dashboard, lexicon, listing, queue, sellers, signin, takedowns

BLUEPRINTS = [m.bp for m in (base, signin, queue, listing, sellers, lexicon, takedowns, audit, dashboard, api)]
