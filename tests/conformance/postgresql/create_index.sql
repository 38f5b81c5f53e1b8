CREATE INDEX ix_shipment_created ON shipment (created_at);
CREATE UNIQUE INDEX uq_shipment_carrier_code ON shipment (carrier, tracking_code);
