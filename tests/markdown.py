"""What a person reads in a markdown element whose user text the app escaped (ui.safe.md): the escapes
resolved and the invisible word joiners (which stop bare addresses becoming links) left out."""
import re


def plain(text) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(text)).replace("\u2060", "")
