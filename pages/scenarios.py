"""Scenarios page (being built)."""

import streamlit as st

st.title("Scenarios")
st.info("This page is being built.")
