"""Every write of the campaigns app, split by concept: ordering (placing an order),
order_document (what is sent), delivery (sending it to the provider exactly once), status
(the posting state machine), sync (statuses coming back), notifications (emails) and
take_down."""
