"""Streamlit helpers of the explorer app: shared state, cached core calls, shared widgets.

The domain lives in aijri_core (no streamlit); this package only connects it to the UI.
"""
