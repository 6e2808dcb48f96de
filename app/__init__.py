"""The glue layer: the only code that knows both Streamlit and storage (session context, cached reads,
write actions, export jobs). Pages call it, metrics and ui; ui only draws."""
