# One module per model, named after it (see STYLE.md).
