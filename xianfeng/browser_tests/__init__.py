"""Real-browser tests: Chromium through Playwright against the live server."""
