"""Johdon työpöytä, the entry page. Streamlit serves each file in pages/ at its own address (pages-directory
mode); every page starts with app.context.setup() (page config, language, the menu, the shared filters), so a
deep link works as the first request of a fresh server. This page only sends a visitor to the overview; opened
without parameters, the user's start view (app/views.py) is shown instead once the user is known."""
import streamlit as st

if not st.query_params:
    st.session_state["_open_start"] = True
st.switch_page("pages/overview.py", query_params=st.query_params.to_dict())   # a shared link keeps its view
