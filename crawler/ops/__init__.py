"""Crawl operations: running crawls and the offline demo, the crawl scheduler and the distributed store worker.
Imports ``crawler``, ``store`` and ``detect``; the command line calls it."""
