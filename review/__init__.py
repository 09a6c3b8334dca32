"""fentwatch's review side: the command line, the hit store and (later) the moderator web app."""
