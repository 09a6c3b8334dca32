"""The offline demo marketplace: a generated site in three layouts (advertisement text only) and its loopback server."""
