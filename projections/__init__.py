"""Read side: pure folds from events to rows, and the views that store them."""
