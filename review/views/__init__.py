"""The review app's blueprints, one per area; each view reads the request, calls the room below, renders."""

from . import audit, base, dashboard, flags, lexicon, listing, queue, sellers, signin, signins, takedowns

BLUEPRINTS = [m.bp for m in (base, signin, queue, listing, sellers, lexicon, takedowns, audit, signins, dashboard,
                             flags)]
