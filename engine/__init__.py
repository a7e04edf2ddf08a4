"""RNN Playground engine: pure PyTorch, never imports streamlit."""
