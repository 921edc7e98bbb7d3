"""The Textual app: screens, widgets and styles. Headless logic lives outside this package."""
