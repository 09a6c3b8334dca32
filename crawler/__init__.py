"""fentwatch's Scrapy project: spiders that only parse, pipelines that only move items (detect, then store)."""
