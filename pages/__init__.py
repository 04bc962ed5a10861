"""The dashboard pages (st.navigation in app.py registers them) and the helpers they share."""
