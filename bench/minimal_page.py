"""The smallest useful Streamlit page: one slider, one plotly chart.

bench/app.py times a rerun of this page beside a rerun of the Explorer, in the same process,
so the ratio says what the Explorer's widgets and analyses cost over Streamlit's own overhead.
Run it alone with `python -m streamlit run bench/minimal_page.py`.
"""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("Value", min_value=0, max_value=100, value=50, key="value")
with st.container(key="value_text"):
    st.markdown(f"Value: **{value}**")
fig = go.Figure(go.Bar(x=[value], y=["value"], orientation="h"))
fig.update_layout(title="One bar", xaxis={"range": [0, 100], "title": "value"}, height=240)
st.plotly_chart(fig, key="chart")
