"""The bundled data, installed as ``aijri_core.data``: roles/, trajectories/, comparators.csv.

Read through ``aijri_core.io.data_dir()`` (``AIJRI_DATA_DIR`` overrides it).
"""
