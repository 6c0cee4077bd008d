"""The floor for the Board page's redraw: the same rows in a plain st.dataframe, filtered by a text box.

bench/board_page.py times a filter change on this page beside one on the Board page. The rows
come from the CSV named by AIJRI_BENCH_BOARD_CSV (the Board page's table, written by the bench).
"""

import os

import pandas as pd
import streamlit as st


@st.cache_data
def rows(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


df = rows(os.environ["AIJRI_BENCH_BOARD_CSV"])
text = st.text_input("Search", key="board_search")
shown = df[df["Role"].str.contains(text, case=False, regex=False)] if text else df
st.dataframe(shown, hide_index=True)
