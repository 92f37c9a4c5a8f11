"""A client's compensation: the compensate page, orders of credits, the partner's retirement record.

Credits are reported *beside* the climate account, never deducted from it:
nothing here changes an account, and every page shows both numbers side by side.

``services`` — every write (create/cancel an order, record a retirement), each one transaction,
calling the credits app's locked ``reserve``/``release``/``retire``.
``read_models`` — what the compensate page and the partner's order list need, loaded once.
``views`` — thin pages over both.
"""
