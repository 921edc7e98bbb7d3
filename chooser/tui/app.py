"""Placeholder: the terminal app arrives with its issue."""


def run_app() -> int:
    print("chooser: the terminal app is not available yet; try `chooser --help`")
    return 0
