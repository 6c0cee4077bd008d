"""Roles page (being built)."""

import streamlit as st

st.title("Roles")
st.info("This page is being built.")
