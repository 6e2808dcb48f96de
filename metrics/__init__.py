"""KPI registry and the computations on it. Pure Python + SQLAlchemy Core; imports no streamlit."""
