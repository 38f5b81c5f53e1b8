DROP INDEX ix_shipment_old_created ON shipment_old;
