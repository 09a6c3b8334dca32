"""fentwatch's Scrapy project: spiders that only parse, pipelines that only move items (detect, then store), the
distributed mode, the demo site, and crawl operations (``crawler.ops``). Imports ``store`` and ``detect``."""
