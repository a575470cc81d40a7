"""Downloads that performance writes itself: the national forms, laid out as the bureau files them."""
