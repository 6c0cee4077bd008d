"""Uncertainty page. The page itself is aijri_ui/views/uncertainty.py (element keys are listed there).

Page files stay this small: Streamlit compiles a page file on every run, while the view module
is imported once.
"""

from aijri_ui.views import uncertainty

uncertainty.render()
