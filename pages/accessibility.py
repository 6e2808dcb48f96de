"""Saavutettavuusseloste: the accessibility statement, open to every role (linked at the foot of the sidebar)."""
from app import context, state
from ui.accessibility import statement

lang, f, version = context.setup("page_accessibility")
statement(lang, state.a11y_contact())
