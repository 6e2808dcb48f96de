"""What a person reads in a markdown element whose user text the app escaped (ui.safe.md)."""
import re


def plain(text) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(text))
