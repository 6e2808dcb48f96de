"""The accessibility statement (saavutettavuusseloste) as the Act on the Provision of Digital Services (306/2019)
expects it: compliance status, the content that is not accessible and why, feedback, the supervising authority
and the date of the assessment. The framework's gaps name the Streamlit version read at run time."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from .i18n import t
from .safe import md

ASSESSED = dt.date(2026, 12, 3)          # the audit behind this statement (tests/test_browser_accessibility.py)
# what Streamlit itself causes (no public API changes it), each a catalogue key a11y_gap_<id>
FRAMEWORK_GAPS = ("uploader", "builtin_english", "grid", "toolbar_focus")
# what the service does about its own content: alternatives that keep it usable
OWN_MEASURES = ("charts", "colour", "keyboard", "languages")


def statement(lang: str, contact: str, streamlit_version: str | None = None) -> None:
    """Draw the statement; `contact`: DASHBOARD_A11Y_CONTACT (empty: ask the administrator)."""
    version = streamlit_version or st.__version__
    date = f"{ASSESSED.day}.{ASSESSED.month}.{ASSESSED.year}"
    st.title(t("page_accessibility", lang))
    st.markdown(t("a11y_intro", lang))
    st.header(t("a11y_status_title", lang))
    st.markdown(t("a11y_status", lang))
    st.header(t("a11y_gaps_title", lang))
    st.markdown(t("a11y_gaps_intro", lang, version=version))
    for gap in FRAMEWORK_GAPS:
        st.markdown(f"- {t('a11y_gap_' + gap, lang, version=version)}")
    st.subheader(t("a11y_own_title", lang))
    for measure in OWN_MEASURES:
        st.markdown(f"- {t('a11y_own_' + measure, lang)}")
    st.header(t("a11y_feedback_title", lang))
    st.markdown(t("a11y_feedback", lang))
    if contact.strip():
        st.markdown(t("a11y_contact", lang, contact=md(contact.strip())))
    else:
        st.markdown(t("a11y_contact_admin", lang))
    st.header(t("a11y_supervisor_title", lang))
    st.markdown(t("a11y_supervisor", lang))
    st.header(t("a11y_assessed_title", lang))
    st.markdown(t("a11y_assessed", lang, date=date, version=version))
