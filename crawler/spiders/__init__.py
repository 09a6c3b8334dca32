"""One spider per platform layout, plus `generic` (any site) and `sitemap`."""
