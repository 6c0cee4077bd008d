"""Methodology page (being built)."""

import streamlit as st

st.title("Methodology")
st.info("This page is being built.")
