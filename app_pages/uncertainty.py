"""Uncertainty page (being built)."""

import streamlit as st

st.title("Uncertainty")
st.info("This page is being built.")
