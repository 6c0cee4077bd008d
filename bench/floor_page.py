"""The Explorer's floor: as many sliders and plotly charts as the Explorer, and no computation.

bench/app.py times a key press on this page beside the same key press on the Explorer, in
the same run and the same browser, so the ratio says what the Explorer costs over what
Streamlit and plotly need anyway to send and redraw that many widgets and charts.
Each chart shows the slider values as bars, so every move redraws every chart, as on the
Explorer. Run it alone with `python -m streamlit run bench/floor_page.py`.
"""

import plotly.graph_objects as go
import streamlit as st

#: The Explorer's counts as it opens (the seed role): 7 tasks x 2 + 5 evidence + 5 barriers +
#: growth; scale, waterfall, tornado and zone map (response curves appear when inputs are picked).
SLIDERS = 25
CHARTS = 4

st.set_page_config(page_title="Floor page", layout="wide")
inputs, results = st.columns([0.95, 1.6], gap="large")
with inputs, st.container(height=640, border=False):
    values = [st.slider(f"Input {i + 1}", min_value=0, max_value=10, value=5, step=1, key=f"s{i}")
              for i in range(SLIDERS)]
with results:
    with st.container(key="value_text"):
        st.markdown(f"Value: **{values[0]}**")
    names = [f"input {i + 1}" for i in range(SLIDERS)]
    for c in range(CHARTS):
        fig = go.Figure(go.Bar(x=values, y=names, orientation="h", text=[str(v) for v in values],
                               textposition="outside"))
        fig.update_layout(title=f"Chart {c + 1}: value {values[0]}", height=360, xaxis={"range": [0, 11]})
        st.plotly_chart(fig, key=f"chart{c}", config={"displayModeBar": False})
