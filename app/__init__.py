"""dy-verifier's desktop front end (PySide6 on a qasync loop). Holds no business rules."""
