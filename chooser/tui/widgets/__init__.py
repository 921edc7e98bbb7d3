"""Reusable widgets of the chooser app."""
