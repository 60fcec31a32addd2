"""`streamlit run app.py`: the chat (kb/app.py)."""

from kb.app import main

main()
