from setuptools import setup

# `scrapyd-deploy` builds the egg it uploads to scrapyd with this file; everything else is in pyproject.toml.
setup()
