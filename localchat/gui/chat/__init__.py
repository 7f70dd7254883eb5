"""The conversation in the window: the view, the composer, the controller that drives a
``ChatSession`` (core), and the relay that brings the inference worker's events to the GUI thread."""
