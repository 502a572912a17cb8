"""Every write of the campaigns app, split by concept: ordering (placing an order),
delivery (sending it to the provider exactly once), status (the posting state machine),
sync (statuses coming back) and take_down."""
