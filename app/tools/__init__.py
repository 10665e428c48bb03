"""Developer tools (not imported by the app): screenshots, translation glossary."""
